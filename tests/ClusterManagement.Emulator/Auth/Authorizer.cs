using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Auth;

/// <summary>Decides by <see cref="AccessLevel"/> and words refusals exactly as the RBAC authorizer does.</summary>
public static class Authorizer
{
    private static readonly HashSet<string> ReadVerbs = ["get", "list", "watch"];

    /// <summary>What a kubelet writes (resource or resource/subresource).</summary>
    private static readonly HashSet<string> NodeWritable = ["nodes", "nodes/status", "pods/status", "events", "leases"];

    private static bool IsPublicClusterInfo(string? ns, string? name) => ns == "kube-public" && name == "cluster-info";

    /// <summary>
    /// Discovery and other non-resource paths: system:discovery is bound to authenticated users only, so
    /// an anonymous client sees /version (system:public-info-viewer) and nothing else.
    /// </summary>
    public static void AuthorizePath(EmulatorUser user, string path)
    {
        if (user.Access != AccessLevel.Anonymous || path == "/version")
        {
            return;
        }
        throw new ApiException(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot get path \"{path}\"", new System.Text.Json.Nodes.JsonObject());
    }

    public static void Authorize(EmulatorUser user, string verb, ResourceKind kind, string? subresource, string? ns, string? name)
    {
        var resource = subresource is null ? kind.Plural : $"{kind.Plural}/{subresource}";
        var allowed = user.Access switch
        {
            AccessLevel.Admin => true,
            AccessLevel.Node => ReadVerbs.Contains(verb) || NodeWritable.Contains(resource),
            AccessLevel.Bootstrap => resource == "certificatesigningrequests" ? verb == "create" || ReadVerbs.Contains(verb)
                : (verb == "get" && resource == "nodes") || (verb == "get" && resource == "configmaps" && IsPublicClusterInfo(ns, name))
                    || (verb == "get" && resource == "configmaps" && ns == "kube-system" && name is "kubeadm-config" or "kubelet-config" or "kube-proxy")
                    || (verb == "get" && resource == "secrets" && ns == "kube-system" && name == "kubeadm-certs"),
            AccessLevel.Anonymous => verb == "get" && resource == "configmaps" && IsPublicClusterInfo(ns, name),
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
