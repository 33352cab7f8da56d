using ClusterManagement.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Apps;

/// <summary>The pods of some ReplicaSets, kubectl's way: by the set's selector, then by controller owner reference.</summary>
internal static class OwnedPods
{
    public static async Task<IReadOnlyList<V1Pod>> ListAsync(ClusterConnection connection, string ns, string selector, IEnumerable<string> ownerUids, CancellationToken cancellationToken)
    {
        var owners = ownerUids.ToHashSet(StringComparer.Ordinal);
        var pods = new List<V1Pod>();
        var pages = Paging.ListAll<V1PodList, V1Pod>(
            (token, limit, ct) => connection.Client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: token, labelSelector: selector, limit: limit, cancellationToken: ct),
            list => list.Items, list => list.Metadata?.ContinueProperty, new ResourceRef("Pod", null, ns), cancellationToken);
        await foreach (var pod in pages.ConfigureAwait(false))
        {
            if (pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && owners.Contains(o.Uid)) == true)
            {
                pods.Add(pod);
            }
        }
        return pods;
    }
}
