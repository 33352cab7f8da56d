using k8s.Models;

using ClusterManagement.Apps;

namespace ClusterManagement.Engine.Apps;

/// <summary>Where a rollout stands, in kubectl rollout status's words.</summary>
/// <param name="Percent">Updated-and-available replicas over desired, for a progress bar; -1 while the spec is not observed.</param>
internal sealed record RolloutState(AppRolloutStatus Status, string Message, int Percent);

/// <summary>kubectl's DeploymentStatusViewer (pkg/polymorphichelpers/rollout_status.go), in its order of checks.</summary>
internal static class RolloutProgress
{
    public static RolloutState Evaluate(V1Deployment d)
    {
        var name = d.Metadata.Name;
        var status = d.Status;
        if ((d.Metadata.Generation ?? 0) > (status?.ObservedGeneration ?? 0))
        {
            return new(AppRolloutStatus.Progressing, "Waiting for deployment spec update to be observed...", -1);
        }
        if (status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Reason: "ProgressDeadlineExceeded" })
        {
            return new(AppRolloutStatus.Failed, $"deployment \"{name}\" exceeded its progress deadline", Percent(d));
        }
        var desired = d.Spec.Replicas ?? 1;
        var updated = status?.UpdatedReplicas ?? 0;
        var replicas = status?.Replicas ?? 0;
        var available = status?.AvailableReplicas ?? 0;
        if (updated < desired)
        {
            return new(AppRolloutStatus.Progressing,
                $"Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...", Percent(d));
        }
        if (replicas > updated)
        {
            return new(AppRolloutStatus.Progressing,
                $"Waiting for deployment \"{name}\" rollout to finish: {replicas - updated} old replicas are pending termination...", Percent(d));
        }
        if (available < updated)
        {
            return new(AppRolloutStatus.Progressing,
                $"Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...", Percent(d));
        }
        return new(AppRolloutStatus.Complete, $"deployment \"{name}\" successfully rolled out", 100);
    }

    private static int Percent(V1Deployment d)
    {
        var desired = d.Spec.Replicas ?? 1;
        if (desired == 0)
        {
            return 100;
        }
        var done = Math.Min(d.Status?.UpdatedReplicas ?? 0, d.Status?.AvailableReplicas ?? 0);
        return (int)Math.Clamp(done * 100L / desired, 0, 100);
    }
}
