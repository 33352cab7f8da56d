using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Auth;

/// <summary>Decides by <see cref="AccessLevel"/> and words refusals exactly as the RBAC authorizer does.</summary>
public static class Authorizer
{
    private static readonly HashSet<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>What a kubelet writes (resource or resource/subresource).</summary>
    private static readonly HashSet<string> NodeWritable = ["nodes", "nodes/status", "pods/status", "events", "leases"];

    public static void Authorize(EmulatorUser user, string verb, ResourceKind kind, string? subresource, string? ns, string? name)
    {
        var resource = subresource is null ? kind.Plural : $"{kind.Plural}/{subresource}";
        var allowed = user.Access switch
        {
            AccessLevel.Admin => true,
            AccessLevel.Node => ReadVerbs.Contains(verb) || NodeWritable.Contains(resource),
            AccessLevel.Bootstrap => ReadVerbs.Contains(verb) || (verb == "create" && resource == "certificatesigningrequests"),
            _ => ReadVerbs.Contains(verb),
        };
        if (allowed)
        {
            return;
        }
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var subject = name is null ? kind.QualifiedResource : $"{kind.QualifiedResource} \"{name}\"";
        throw Status.Forbidden(kind, name,
            $"{subject} is forbidden: User \"{user.Name}\" cannot {verb} resource \"{resource}\" in API group \"{kind.Group}\" {scope}");
    }
}
