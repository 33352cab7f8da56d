using k8s.Models;

using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// kubectl's drain filters (k8s.io/kubectl/pkg/drain/filters.go), in its order: DaemonSet-managed,
/// mirror, local storage, no controller. The first filter that keeps a pod decides; when every filter
/// lets a pod go, the last one's warning is the one kept, exactly as kubectl keeps it. Finished pods
/// (Succeeded, Failed) pass the DaemonSet, local-storage and controller checks.
/// </summary>
internal static class DrainFilters
{
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    public const string DaemonSetFatal = "DaemonSet-managed Pods (use -IgnoreDaemonSets to ignore)";
    public const string DaemonSetWarning = "ignoring DaemonSet-managed Pods";
    public const string MirrorSkip = "mirror pod of a static pod";
    public const string LocalStorageFatal = "Pods with local storage (use -DeleteEmptyDirData to override)";
    public const string LocalStorageWarning = "deleting Pods with local storage";
    public const string UnmanagedFatal = "Pods that declare no controller (use -DeleteUnmanagedPods to override)";
    public const string UnmanagedWarning = "deleting Pods that declare no controller";

    /// <summary>What looking up a pod's DaemonSet gave: null when it exists, else the server's error and whether it was a 404.</summary>
    public sealed record DaemonSetProblem(string Message, bool NotFound);

    private sealed record Verdict(bool Delete, string? Message, bool IsError);

    private static readonly Verdict Okay = new(true, null, false);

    /// <param name="daemonSetProblem">Looks up a DaemonSet by namespace and name; called only for unfinished DaemonSet-managed pods.</param>
    public static DrainPodStatus Classify(V1Pod pod, DrainOptions options, Func<string, string, DaemonSetProblem?> daemonSetProblem)
    {
        Func<Verdict>[] filters =
        [
            () => DaemonSetFilter(pod, options, daemonSetProblem),
            () => IsMirror(pod) ? new Verdict(false, MirrorSkip, false) : Okay,
            () => LocalStorageFilter(pod, options),
            () => UnreplicatedFilter(pod, options),
        ];
        var verdict = Okay;
        foreach (var filter in filters)
        {
            verdict = filter();
            if (!verdict.Delete)
            {
                break;
            }
        }

        return new DrainPodStatus
        {
            Namespace = pod.Metadata.NamespaceProperty ?? "",
            Name = pod.Metadata.Name,
            Action = verdict.IsError ? DrainAction.Block : verdict.Delete ? DrainAction.Evict : DrainAction.Skip,
            Reason = verdict.Message,
        };
    }

    public static bool IsMirror(V1Pod pod) => pod.Metadata.Annotations?.ContainsKey(MirrorAnnotation) == true;

    public static bool HasLocalStorage(V1Pod pod) => pod.Spec?.Volumes?.Any(v => v.EmptyDir is not null) == true;

    public static V1OwnerReference? ControllerOf(V1Pod pod) => pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    private static bool IsFinished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static Verdict DaemonSetFilter(V1Pod pod, DrainOptions options, Func<string, string, DaemonSetProblem?> daemonSetProblem)
    {
        var controller = ControllerOf(pod);
        if (controller is null || controller.Kind != "DaemonSet" || IsFinished(pod))
        {
            return Okay;
        }

        if (daemonSetProblem(pod.Metadata.NamespaceProperty ?? "", controller.Name) is { } problem)
        {
            // An orphan (its DaemonSet is gone) may go with -DeleteUnmanagedPods (kubectl's --force); kubectl then warns with the server's message.
            return problem.NotFound && options.DeleteUnmanagedPods ? new Verdict(true, problem.Message, false) : new Verdict(false, problem.Message, true);
        }

        return options.IgnoreDaemonSets ? new Verdict(false, DaemonSetWarning, false) : new Verdict(false, DaemonSetFatal, true);
    }

    private static Verdict LocalStorageFilter(V1Pod pod, DrainOptions options)
    {
        if (!HasLocalStorage(pod) || IsFinished(pod))
        {
            return Okay;
        }

        return options.DeleteEmptyDirData ? new Verdict(true, LocalStorageWarning, false) : new Verdict(false, LocalStorageFatal, true);
    }

    private static Verdict UnreplicatedFilter(V1Pod pod, DrainOptions options)
    {
        if (IsFinished(pod) || ControllerOf(pod) is not null)
        {
            return Okay;
        }

        return options.DeleteUnmanagedPods ? new Verdict(true, UnmanagedWarning, false) : new Verdict(false, UnmanagedFatal, true);
    }
}
