using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Nodes;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>Turns the API's V1Pod into a <see cref="NodePod"/> with kubectl's READY and RESTARTS rules.</summary>
internal static class PodMapper
{
    public static NodePod ToNodePod(V1Pod pod)
    {
        var containers = pod.Spec?.Containers?.Count ?? 0;
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var controller = DrainFilters.ControllerOf(pod);
        return new NodePod
        {
            Namespace = pod.Metadata.NamespaceProperty ?? "",
            Name = pod.Metadata.Name,
            Node = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
            Phase = pod.Status?.Phase ?? "Unknown",
            Ready = $"{statuses.Count(s => s.Ready)}/{containers}",
            Restarts = statuses.Sum(s => s.RestartCount),
            Created = DateTime.SpecifyKind(pod.Metadata.CreationTimestamp ?? DateTime.MinValue, DateTimeKind.Utc),
            Age = IsoDuration.Format(Clock.AgeOf(pod.Metadata.CreationTimestamp)),
            IP = string.IsNullOrEmpty(pod.Status?.PodIP) ? null : pod.Status.PodIP,
            ControllerKind = controller?.Kind,
            ControllerName = controller?.Name,
            IsMirror = DrainFilters.IsMirror(pod),
            HasLocalStorage = DrainFilters.HasLocalStorage(pod),
            IsTerminating = pod.Metadata.DeletionTimestamp is not null,
            Uid = pod.Metadata.Uid ?? "",
            Labels = Dictionaries.Sorted(pod.Metadata.Labels),
        };
    }
}
