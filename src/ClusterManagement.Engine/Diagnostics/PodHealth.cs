using ClusterManagement.Diagnostics;
using k8s.Models;

namespace ClusterManagement.Engine.Diagnostics;

/// <summary>
/// What holds one pod back, in the words kubectl get pods and describe pod use: the waiting reason of a
/// container (ErrImagePull, CrashLoopBackOff), the scheduler's Unschedulable condition, a readiness probe
/// that fails. <see cref="Reason"/> is the STATUS kubectl would print.
/// </summary>
/// <param name="Container">The container concerned; null for a pod-level cause (not scheduled).</param>
/// <param name="Image">The container's image as the pod spec names it.</param>
/// <param name="LastExitCode">The exit code of the container's last termination, for crash loops.</param>
/// <param name="TerminationMessage">What the container wrote to its termination log before it ended.</param>
internal sealed record PodProblem(
    DiagnosisCause Cause, string Reason, string? Message, string? Container, string? Image, int RestartCount, int? LastExitCode, string? TerminationMessage);

internal static class PodHealth
{
    private static readonly HashSet<string> PullReasons = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName", "RegistryUnavailable",
    };

    // kubelet's waiting reasons on the normal way to running: not a problem yet.
    private static readonly HashSet<string> StartingReasons = new(StringComparer.Ordinal) { "ContainerCreating", "PodInitializing" };

    /// <summary>Null when the pod is ready, or on its way without a sign of trouble.</summary>
    public static PodProblem? Assess(V1Pod pod)
    {
        if (Condition(pod, "PodScheduled") is { Status: "False", Reason: "Unschedulable" } unscheduled)
        {
            return new(DiagnosisCause.Unschedulable, "Unschedulable", unscheduled.Message, null, null, 0, null, null);
        }
        var spec = pod.Spec?.Containers ?? [];
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var problems = statuses.Select(s => OfContainer(s, spec.FirstOrDefault(c => c.Name == s.Name))).OfType<PodProblem>().ToList();
        // One cause per pod: the one that would have to be fixed first.
        return problems.OrderBy(p => Rank(p.Cause)).FirstOrDefault()
            ?? (IsReady(pod) ? null : NotReady(pod, spec, statuses));
    }

    public static bool IsReady(V1Pod pod) => Condition(pod, "Ready") is { Status: "True" };

    private static PodProblem? OfContainer(V1ContainerStatus status, V1Container? spec)
    {
        var image = spec?.Image ?? status.Image;
        var waiting = status.State?.Waiting;
        var last = status.LastState?.Terminated;
        var ended = status.State?.Terminated;
        if (waiting?.Reason is { } pulling && PullReasons.Contains(pulling))
        {
            return new(DiagnosisCause.ImagePullFailed, pulling, waiting.Message, status.Name, image, status.RestartCount, last?.ExitCode, null);
        }
        var crashed = waiting?.Reason == "CrashLoopBackOff" ? last ?? ended
            : ended is { ExitCode: not 0 } ? ended
            : status.RestartCount > 0 && last is { ExitCode: not 0 } && status.Ready != true ? last
            : null;
        if (crashed is not null || waiting?.Reason == "CrashLoopBackOff")
        {
            return new(DiagnosisCause.CrashLoop, waiting?.Reason ?? crashed!.Reason ?? "Error", waiting?.Message ?? crashed?.Message, status.Name, image, status.RestartCount,
                crashed?.ExitCode, string.IsNullOrWhiteSpace(crashed?.Message) ? null : crashed.Message.Trim());
        }
        if (waiting?.Reason is { } other && !StartingReasons.Contains(other))
        {
            return new(DiagnosisCause.Unknown, other, waiting.Message, status.Name, image, status.RestartCount, last?.ExitCode, null);
        }
        return null;
    }

    /// <summary>Running containers that are not ready: a failing readiness probe, when the container has one.</summary>
    private static PodProblem? NotReady(V1Pod pod, IList<V1Container> spec, IList<V1ContainerStatus> statuses)
    {
        var unready = statuses.FirstOrDefault(s => s.Ready != true && s.State?.Running is not null
            && spec.FirstOrDefault(c => c.Name == s.Name)?.ReadinessProbe is not null);
        if (unready is null)
        {
            return null;
        }
        var message = Condition(pod, "Ready")?.Message ?? $"containers with unready status: [{unready.Name}]";
        return new(DiagnosisCause.ReadinessProbeFailing, "NotReady", message, unready.Name, spec.First(c => c.Name == unready.Name).Image, unready.RestartCount, null, null);
    }

    private static int Rank(DiagnosisCause cause) => cause switch
    {
        DiagnosisCause.ImagePullFailed => 0,
        DiagnosisCause.CrashLoop => 1,
        _ => 2,
    };

    private static V1PodCondition? Condition(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
