using System.Text.Json;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.NodeHosts;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.NodeHosts;

/// <summary>How to reach one node's host, and the host key New-ClusterNode verified when it joined it.</summary>
internal sealed record NodeAccessRecord(string Host, int Port, string User, string HostKey)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads one node's entry; an entry someone edited into something else is refused, never half-used.</summary>
    public static NodeAccessRecord Parse(string node, string json)
    {
        NodeAccessRecord? record = null;
        try
        {
            record = JsonSerializer.Deserialize<NodeAccessRecord>(json, Json);
        }
        catch (JsonException)
        {
        }

        if (record is null || string.IsNullOrWhiteSpace(record.Host) || record.Port is < 1 or > 65535 || string.IsNullOrWhiteSpace(record.User)
            || record.HostKey is null || !record.HostKey.StartsWith("SHA256:", StringComparison.Ordinal))
        {
            throw new ClusterException(ClusterErrors.NodeAccessRecordInvalid, $"The entry for {node} in {NodeAccessRecords.Namespace}/{NodeAccessRecords.Name} is not valid access data " +
                "(JSON with host, port 1-65535, user and hostKey SHA256:...); fix or remove it, or add the node again with New-ClusterNode.",
                node);
        }

        return record;
    }
}

/// <summary>
/// The module's access data for all node hosts: one ConfigMap in kube-system, one key per node. It is
/// not kept on the Node, because a node's kubelet (and anyone allowed to patch Nodes) can rewrite the
/// Node's annotations, and a host key taken from there would let a host vouch for itself. Writing a
/// ConfigMap in kube-system takes RBAC that only cluster admins have by default.
/// </summary>
internal sealed class NodeAccessRecords(ClusterConnection connection)
{
    public const string Namespace = "kube-system";
    public const string Name = "clustermanagement-node-access";

    private static readonly ResourceRef Resource = new("ConfigMap", Name, Namespace);

    /// <summary>Every node's raw entry, by node name; no object yet means no entries.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var map = await KubeApi.Call(ct => connection.Client.CoreV1.ReadNamespacedConfigMapAsync(Name, Namespace, cancellationToken: ct), Resource, cancellationToken).ConfigureAwait(false);
            return map.Data is { } data ? new Dictionary<string, string>(data, StringComparer.Ordinal) : new Dictionary<string, string>();
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            return new Dictionary<string, string>();
        }
    }

    public Task SetAsync(string node, NodeAccessRecord record, CancellationToken cancellationToken) => WriteAsync(node, record.ToJson(), cancellationToken);

    public Task RemoveAsync(string node, CancellationToken cancellationToken) => WriteAsync(node, null, cancellationToken);

    /// <summary>
    /// A merge patch of one key, without a resourceVersion: the API server applies it to the object as
    /// it is at that moment (retrying its own conflicts), so parallel New-ClusterNode runs, each writing
    /// its own node's key, never lose one another's entries the way a read-modify-replace could.
    /// </summary>
    private async Task WriteAsync(string node, string? json, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(JsonSerializer.Serialize(new { data = new Dictionary<string, string?> { [node] = json } }), V1Patch.PatchType.MergePatch);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await KubeApi.Call(ct => connection.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, Name, Namespace, cancellationToken: ct), Resource, cancellationToken, idempotent: true).ConfigureAwait(false);
                return;
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound && json is null)
            {
                return;
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound && attempt == 1)
            {
            }

            var body = new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = Name,
                    NamespaceProperty = Namespace,
                    Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "ClusterManagement" },
                },
                Data = new Dictionary<string, string> { [node] = json! },
            };
            try
            {
                await KubeApi.Call(ct => connection.Client.CoreV1.CreateNamespacedConfigMapAsync(body, Namespace, cancellationToken: ct), Resource, cancellationToken, idempotent: false).ConfigureAwait(false);
                return;
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.AlreadyExists)
            {
                // Another run created it between our patch and our create: patch again, now it exists.
            }
        }
    }
}
