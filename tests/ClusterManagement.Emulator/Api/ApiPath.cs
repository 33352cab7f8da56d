using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// A resource URL taken apart: /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]] and the
/// same under /apis/{group}/{version}.
/// </summary>
public sealed record ApiPath(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Null when the path is not under a served group version or names no registered kind.</summary>
    public static ApiPath? Parse(string path, ResourceRegistry registry)
    {
        var segments = path.Trim('/').Split('/');
        int rest;
        string group;
        string version;
        if (segments is ["api", var coreVersion, ..])
        {
            (group, version, rest) = ("", coreVersion, 2);
        }
        else if (segments is ["apis", var g, var v, ..])
        {
            (group, version, rest) = (g, v, 3);
        }
        else
        {
            return null;
        }
        var tail = segments[rest..];
        // "namespaces/x/pods" is a namespaced collection, but "namespaces/x/status" is the namespace's subresource.
        if (tail is ["namespaces", var ns, var plural, ..] && registry.Find(group, version, plural) is { Namespaced: true } namespaced)
        {
            return tail.Length <= 5 ? new ApiPath(namespaced, ns, tail.ElementAtOrDefault(3), tail.ElementAtOrDefault(4)) : null;
        }
        if (tail.Length is < 1 or > 3 || registry.Find(group, version, tail[0]) is not { } kind)
        {
            return null;
        }
        return new ApiPath(kind, null, tail.ElementAtOrDefault(1), tail.ElementAtOrDefault(2));
    }
}
