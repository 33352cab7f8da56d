using System.Text.Json;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>Writes what the module keeps on a Node: access data (annotations), roles and labels, taints.</summary>
internal static class NodeRecord
{
    public static async Task<ClusterNode> ApplyAsync(
        ClusterConnection connection,
        string name,
        IReadOnlyDictionary<string, string?> annotations,
        IReadOnlyDictionary<string, string?> labels,
        IReadOnlyList<NodeTaint> addTaints,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        var resource = new ResourceRef("Node", name);
        var node = await Conflicts.RetryAsync(async ct =>
        {
            var current = await KubeApi.Call(c => connection.Client.CoreV1.ReadNodeAsync(name, cancellationToken: c), resource, ct).ConfigureAwait(false);
            var taints = (current.Spec?.Taints ?? []).Select(t => new { key = t.Key, value = (string?)t.Value, effect = t.Effect }).ToList();
            foreach (var taint in addTaints)
            {
                taints.RemoveAll(t => t.key == taint.Key && t.effect == taint.Effect);
                taints.Add(new { key = taint.Key, value = taint.Value, effect = taint.Effect });
            }

            // resourceVersion in a merge patch makes it conditional: a concurrent writer gets a 409 and we re-read.
            var patch = new
            {
                metadata = new { resourceVersion = current.Metadata.ResourceVersion, annotations, labels },
                spec = new { taints },
            };
            return await KubeApi.Call(
                c => connection.Client.CoreV1.PatchNodeAsync(new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.MergePatch), name, cancellationToken: c),
                resource,
                ct,
                idempotent: false).ConfigureAwait(false);
        }, resource, log, cancellationToken).ConfigureAwait(false);
        return NodeMapper.ToClusterNode(node);
    }

    public static NodeTaint ParseTaint(string text)
    {
        var colon = text.LastIndexOf(':');
        var effect = colon > 0 ? text[(colon + 1)..] : string.Empty;
        if (effect is not ("NoSchedule" or "PreferNoSchedule" or "NoExecute"))
        {
            throw new ClusterException(ClusterErrors.TaintInvalid, $"'{text}' is not a taint: write key[=value]:NoSchedule|PreferNoSchedule|NoExecute.", text);
        }

        var keyValue = text[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        return new NodeTaint
        {
            Key = equals < 0 ? keyValue : keyValue[..equals],
            Value = equals < 0 ? null : keyValue[(equals + 1)..],
            Effect = effect,
        };
    }
}
