using k8s.Models;

namespace ClusterManagement.Engine.Manifests;

/// <summary>
/// When a workload has finished rolling out, as kubectl rollout status decides it
/// (polymorphichelpers/rollout_status.go): ready counts alone are not enough, since during an update
/// the old pods are still ready; the controller must have seen the current generation and the pods
/// must be at the new template. Deployments are <see cref="Apps.RolloutProgress"/>'s, which also tells a failed one.
/// </summary>
internal static class RolloutCompletion
{
    /// <summary>DaemonSetStatusViewer: every scheduled node runs an updated pod and every desired node an available one.</summary>
    public static bool IsComplete(V1DaemonSet ds) =>
        ds.Status is { } status
        && status.ObservedGeneration >= ds.Metadata.Generation
        && (status.UpdatedNumberScheduled ?? 0) >= status.DesiredNumberScheduled
        && (status.NumberAvailable ?? 0) >= status.DesiredNumberScheduled;

    /// <summary>
    /// StatefulSetStatusViewer: every replica ready, and the update done: up to the partition when one
    /// is set, otherwise until the update revision has become the current one. OnDelete sets have no
    /// rollout to wait for beyond readiness.
    /// </summary>
    public static bool IsComplete(V1StatefulSet set)
    {
        var replicas = set.Spec?.Replicas ?? 1;
        if (set.Status is not { } status || status.ObservedGeneration is not > 0 || status.ObservedGeneration < set.Metadata.Generation
            || (status.ReadyReplicas ?? 0) < replicas)
        {
            return false;
        }
        if (set.Spec?.UpdateStrategy?.Type == "OnDelete")
        {
            return true;
        }
        if (set.Spec?.UpdateStrategy?.RollingUpdate?.Partition is > 0 and var partition)
        {
            return (status.UpdatedReplicas ?? 0) >= replicas - partition;
        }
        return status.UpdateRevision == status.CurrentRevision;
    }
}
