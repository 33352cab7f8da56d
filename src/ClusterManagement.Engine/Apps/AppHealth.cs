using ClusterManagement.Apps;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Diagnostics;
using k8s.Models;

namespace ClusterManagement.Engine.Apps;

/// <summary>
/// Whether an app is healthy (from its Deployment's status), and from its pods what holds it back: the pods'
/// problems as <see cref="PodHealth"/> reads them, and the one most of them share as the app's reason.
/// </summary>
internal static class AppHealth
{
    public static bool IsHealthy(V1Deployment d)
    {
        var desired = d.Spec?.Replicas ?? 1;
        return (d.Status?.UpdatedReplicas ?? 0) >= desired
            && (d.Status?.AvailableReplicas ?? 0) >= desired
            && FailingCondition(d) is null;
    }

    /// <summary>ReplicaFailure (a quota or admission refused the pods) or a Progressing that gave up, as "Reason: message".</summary>
    public static string? FailingCondition(V1Deployment d) =>
        (d.Status?.Conditions ?? [])
            .Where(c => (c.Type == "ReplicaFailure" && c.Status == "True") || (c.Type == "Progressing" && c.Status == "False"))
            .Select(c => string.IsNullOrEmpty(c.Message) ? c.Reason ?? c.Type : $"{c.Reason ?? c.Type}: {c.Message}")
            .FirstOrDefault();

    /// <summary>The pods with a problem (terminating ones left out: they are on their way out), and the reason most of them share.</summary>
    public static (IReadOnlyList<UnhealthyPod> Pods, string? Reason) Assess(IEnumerable<V1Pod> pods)
    {
        var live = pods.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var problems = live
            .Select(p => (Pod: p, Problem: PodHealth.Assess(p)))
            .Where(x => x.Problem is not null)
            .Select(x => (x.Pod, Problem: x.Problem!))
            .OrderBy(x => x.Pod.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var unhealthy = problems.Select(x => new UnhealthyPod
        {
            Name = x.Pod.Metadata.Name,
            Node = string.IsNullOrEmpty(x.Pod.Spec?.NodeName) ? null : x.Pod.Spec.NodeName,
            Reason = x.Problem.Reason,
            Cause = x.Problem.Cause,
            Container = x.Problem.Container,
            Image = x.Problem.Image,
            Restarts = x.Problem.RestartCount,
            LastExitCode = x.Problem.LastExitCode,
            Message = string.IsNullOrWhiteSpace(x.Problem.Message) ? null : x.Problem.Message.Trim(),
        }).ToList();
        // kubelet alternates ErrImagePull and ImagePullBackOff (and crash states): one cause is one group, named by its commonest STATUS.
        var top = problems
            .GroupBy(x => x.Problem.Cause == DiagnosisCause.Unknown ? x.Problem.Reason : x.Problem.Cause.ToString(), StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.First().Problem.Cause == DiagnosisCause.Unknown)
            .FirstOrDefault();
        if (top is null)
        {
            return (unhealthy, null);
        }

        var status = top.GroupBy(x => x.Problem.Reason, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        return (unhealthy, $"{status} on {top.Count()} of {live.Count} pods: {Detail(top.First().Problem)}");
    }

    private static string Detail(PodProblem problem) => problem.Cause switch
    {
        DiagnosisCause.ImagePullFailed => $"image \"{problem.Image}\" cannot be pulled",
        DiagnosisCause.CrashLoop => $"container \"{problem.Container}\" {(problem.LastExitCode is { } code ? $"exited with code {code}" : "keeps ending")}, {problem.RestartCount} restarts"
            + (problem.TerminationMessage is { } said ? $" ({said})" : ""),
        _ => problem.Message ?? problem.Reason,
    };
}
