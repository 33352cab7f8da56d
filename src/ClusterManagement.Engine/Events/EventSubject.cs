using ClusterManagement.Events;

namespace ClusterManagement.Engine.Events;

/// <summary>An object whose events are wanted: kind and name, and the namespace for namespaced kinds.</summary>
internal sealed record EventSubject(string Kind, string Name, string? Namespace)
{
    public bool IsAbout(ClusterEventObject involved) =>
        string.Equals(involved.Kind, Kind, StringComparison.Ordinal)
        && string.Equals(involved.Name, Name, StringComparison.Ordinal)
        && (Namespace is null || string.Equals(involved.Namespace, Namespace, StringComparison.Ordinal));
}
