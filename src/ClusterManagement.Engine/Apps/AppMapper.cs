using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Apps;
using k8s.Models;

namespace ClusterManagement.Engine.Apps;

/// <summary>Turns a V1Deployment into a <see cref="ClusterApp"/> with printers.go's rules for the columns.</summary>
internal static class AppMapper
{
    /// <param name="pods">The app's pods, to say which have a problem (-Detailed); null leaves that unread.</param>
    public static ClusterApp ToClusterApp(V1Deployment d, IEnumerable<V1Pod>? pods = null)
    {
        var healthy = AppHealth.IsHealthy(d);
        var (unhealthy, podReason) = pods is null ? (null, null) : AppHealth.Assess(pods);
        var containers = d.Spec.Template?.Spec?.Containers ?? [];
        var replicas = d.Spec.Replicas ?? 1;
        var ready = d.Status?.ReadyReplicas ?? 0;
        var revision = DeploymentHistory.Revision(d.Metadata);
        return new ClusterApp
        {
            Name = d.Metadata.Name,
            Namespace = d.Metadata.NamespaceProperty,
            Ready = $"{ready}/{replicas}",
            Replicas = replicas,
            ReadyReplicas = ready,
            UpToDate = d.Status?.UpdatedReplicas ?? 0,
            Available = d.Status?.AvailableReplicas ?? 0,
            Age = IsoDuration.Format(Clock.AgeOf(d.Metadata.CreationTimestamp)),
            Created = DateTime.SpecifyKind(d.Metadata.CreationTimestamp ?? DateTime.MinValue, DateTimeKind.Utc),
            Containers = [.. containers.Select(c => c.Name)],
            Images = [.. containers.Select(c => c.Image ?? "")],
            Revision = revision == 0 ? null : revision,
            Paused = d.Spec.Paused == true,
            Selector = LabelSelectorText.Format(d.Spec.Selector),
            Strategy = d.Spec.Strategy?.Type ?? "RollingUpdate",
            ChangeCause = d.Metadata.Annotations?.TryGetValue(DeploymentHistory.ChangeCauseAnnotation, out var cause) == true && cause.Length > 0 ? cause : null,
            Conditions = [.. (d.Status?.Conditions ?? []).Select(c => new AppCondition
            {
                Type = c.Type,
                Status = c.Status,
                Reason = c.Reason,
                Message = c.Message,
                LastUpdateTime = Utc(c.LastUpdateTime),
                LastTransitionTime = Utc(c.LastTransitionTime),
            })],
            Labels = Dictionaries.Sorted(d.Metadata.Labels),
            Annotations = Dictionaries.Sorted(d.Metadata.Annotations),
            ResourceVersion = d.Metadata.ResourceVersion,
            Uid = d.Metadata.Uid,
            Healthy = healthy,
            Reason = podReason ?? (healthy ? null : AppHealth.FailingCondition(d) ?? RolloutProgress.Evaluate(d).Message),
            UnhealthyPods = unhealthy is null ? null : [.. unhealthy],
        };
    }

    private static DateTime? Utc(DateTime? value) => value is null ? null : DateTime.SpecifyKind(value.Value, DateTimeKind.Utc);
}
