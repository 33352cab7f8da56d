using ClusterManagement.Events;

namespace ClusterManagement.Engine.Events;

/// <summary>
/// An object whose events are wanted: kind and name, the namespace for namespaced kinds, and its uid when known,
/// which keeps out the events of an earlier object of the same name (as kubectl describe selects them).
/// </summary>
internal sealed record EventSubject(string Kind, string Name, string? Namespace, string? Uid = null)
{
    public bool IsAbout(ClusterEventObject involved) =>
        string.Equals(involved.Kind, Kind, StringComparison.Ordinal)
        && string.Equals(involved.Name, Name, StringComparison.Ordinal)
        && (Namespace is null || string.Equals(involved.Namespace, Namespace, StringComparison.Ordinal))
        && (Uid is null || string.Equals(involved.Uid, Uid, StringComparison.Ordinal));

    /// <summary>The server-side selector for this object's events, under the field labels of the API read (regarding.* or involvedObject.*).</summary>
    public string FieldSelector(bool eventsV1)
    {
        var field = eventsV1 ? "regarding" : "involvedObject";
        var terms = new List<string> { $"{field}.kind={Kind}", $"{field}.name={Name}" };
        if (Namespace is not null)
        {
            terms.Add($"{field}.namespace={Namespace}");
        }

        if (Uid is not null)
        {
            terms.Add($"{field}.uid={Uid}");
        }

        return string.Join(',', terms);
    }
}
