using System.Globalization;
using System.Text.Json;
using ClusterManagement.Common;
using ClusterManagement.Kubernetes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.NodeHosts.Rollout;

/// <summary>
/// The cordon an engine upgrade puts on a node, told apart from anyone else's by an annotation in the
/// same patch: a re-run after a failure finishes such a node and uncordons it, while a node that was
/// already cordoned for another reason is upgraded and stays cordoned.
/// </summary>
public static class UpgradeCordon
{
    public const string Annotation = NodeAnnotations.Prefix + "engine-upgrade-cordoned";

    public static bool IsMarked(ClusterNode node) => node.Annotations.ContainsKey(Annotation);

    /// <summary>Whether this rollout may uncordon the node when its upgrade is done.</summary>
    public static bool Owns(ClusterNode node) => !node.Unschedulable || IsMarked(node);

    public static Task CordonAsync(ClusterConnection connection, string name, CancellationToken cancellationToken) =>
        PatchAsync(connection, name, true, Clock.UtcNow.ToString("o", CultureInfo.InvariantCulture), cancellationToken);

    public static Task UncordonAsync(ClusterConnection connection, string name, CancellationToken cancellationToken) =>
        PatchAsync(connection, name, null, null, cancellationToken);

    private static async Task PatchAsync(ClusterConnection connection, string name, bool? unschedulable, string? marker, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            metadata = new { annotations = new Dictionary<string, string?> { [Annotation] = marker } },
            spec = new { unschedulable },
        });
        var patch = new V1Patch(body, V1Patch.PatchType.StrategicMergePatch);
        await KubeApi.Call(c => connection.Client.CoreV1.PatchNodeAsync(patch, name, cancellationToken: c), new ResourceRef("Node", name), cancellationToken).ConfigureAwait(false);
    }
}
