using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>Reads what <see cref="NodeDiagnosis"/> needs about a node or a drain, within <see cref="Diagnoses.ReadBudget"/>.</summary>
internal sealed class NodeDiagnoser(ClusterConnection connection, IOperationLog log)
{
    private const string LeaseNamespace = "kube-node-lease";

    /// <summary>Why the node is not Ready; null when it is Ready, is not registered, or could not be read.</summary>
    public Task<Diagnosis?> NotReadyAsync(string name, CancellationToken cancellationToken) =>
        Diagnoses.TryReadAsync(async ct =>
        {
            var node = await KubeApi.Call(c => connection.Client.CoreV1.ReadNodeAsync(name, cancellationToken: c), new ResourceRef("Node", name), ct).ConfigureAwait(false);
            V1Lease? lease = null;
            try
            {
                lease = await KubeApi.Call(c => connection.Client.CoordinationV1.ReadNamespacedLeaseAsync(name, LeaseNamespace, cancellationToken: c), new ResourceRef("Lease", name, LeaseNamespace), ct).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                // Kubelets before 1.14, or one that never started: the status heartbeat is all there is.
            }
            return NodeDiagnosis.NotReady(node, lease, Clock.UtcNow);
        }, $"node {name}", log, cancellationToken);

    /// <summary>Which pods a drain left and which budgets hold them; null when that could not be read.</summary>
    public Task<Diagnosis?> DrainAsync(NodeDrainResult result, CancellationToken cancellationToken) =>
        Diagnoses.TryReadAsync(async ct =>
        {
            var pods = await KubeApi.Call(
                c => connection.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={result.Node}", cancellationToken: c),
                new ResourceRef("Pod", null), ct).ConfigureAwait(false);
            var budgets = new List<V1PodDisruptionBudget>();
            foreach (var ns in result.Failed.Select(f => f.Namespace).Distinct(StringComparer.Ordinal))
            {
                var list = await KubeApi.Call(c => connection.Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns, cancellationToken: c), new ResourceRef("PodDisruptionBudget", null, ns), ct).ConfigureAwait(false);
                budgets.AddRange(list.Items);
            }
            return NodeDiagnosis.Drain(result, pods.Items.ToList(), budgets);
        }, $"the drain of node {result.Node}", log, cancellationToken);
}
