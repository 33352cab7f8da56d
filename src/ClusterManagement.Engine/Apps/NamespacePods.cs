using ClusterManagement.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Apps;

/// <summary>
/// The pods of many apps, joined through their ReplicaSets' controller references (Deployment → ReplicaSet →
/// pod), from one list of ReplicaSets and one of pods per namespace, read when the namespace's first app asks:
/// a listing of apps streams, and never lists pods per app.
/// </summary>
internal sealed class NamespacePods(ClusterConnection connection)
{
    private readonly Dictionary<string, Task<ILookup<string, V1Pod>>> byNamespace = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<V1Pod>> OfAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        if (!byNamespace.TryGetValue(ns, out var read))
        {
            byNamespace[ns] = read = ReadAsync(ns, cancellationToken);
        }

        return [.. (await read.ConfigureAwait(false))[deployment.Metadata.Uid]];
    }

    /// <summary>Pods keyed by the uid of the Deployment that owns their ReplicaSet.</summary>
    private async Task<ILookup<string, V1Pod>> ReadAsync(string ns, CancellationToken cancellationToken)
    {
        var deploymentOfSet = new Dictionary<string, string>(StringComparer.Ordinal);
        var sets = Paging.ListAll<V1ReplicaSetList, V1ReplicaSet>(
            (token, limit, ct) => connection.Client.AppsV1.ListNamespacedReplicaSetAsync(ns, continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items, list => list.Metadata?.ContinueProperty, new ResourceRef("ReplicaSet", null, ns), cancellationToken);
        await foreach (var rs in sets.ConfigureAwait(false))
        {
            if (Controller(rs.Metadata, "Deployment") is { } owner)
            {
                deploymentOfSet[rs.Metadata.Uid] = owner;
            }
        }

        var owned = new List<(string Deployment, V1Pod Pod)>();
        var pods = Paging.ListAll<V1PodList, V1Pod>(
            (token, limit, ct) => connection.Client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items, list => list.Metadata?.ContinueProperty, new ResourceRef("Pod", null, ns), cancellationToken);
        await foreach (var pod in pods.ConfigureAwait(false))
        {
            if (Controller(pod.Metadata, "ReplicaSet") is { } set && deploymentOfSet.TryGetValue(set, out var deployment))
            {
                owned.Add((deployment, pod));
            }
        }

        return owned.ToLookup(o => o.Deployment, o => o.Pod, StringComparer.Ordinal);
    }

    private static string? Controller(V1ObjectMeta metadata, string kind) =>
        metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == kind)?.Uid;
}
