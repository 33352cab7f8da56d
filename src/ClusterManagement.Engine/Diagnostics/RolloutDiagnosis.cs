using System.Globalization;
using ClusterManagement.Diagnostics;
using ClusterManagement.Events;
using k8s.Models;

namespace ClusterManagement.Engine.Diagnostics;

/// <summary>
/// Why a Deployment's rollout did not complete, from what kubectl describe deployment and describe pod
/// would show at that moment: the new ReplicaSet's pods, the Deployment's conditions and the events of all
/// three. The cause is the one most new pods (or missing pods) share.
/// </summary>
internal static class RolloutDiagnosis
{
    public const string EventSource = "Event";
    public const string ContainerStateSource = "ContainerState";
    public const string ConditionSource = "Condition";

    private const int MostEvidencePerKind = 5;

    /// <param name="newSet">The ReplicaSet of the Deployment's current template; null before the controller made it.</param>
    /// <param name="newPods">The pods that set controls.</param>
    /// <param name="events">Events of the namespace; only those about the Deployment, the set and the pods count.</param>
    public static Diagnosis Of(V1Deployment deployment, V1ReplicaSet? newSet, IReadOnlyList<V1Pod> newPods, IReadOnlyList<ClusterEvent> events)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var name = deployment.Metadata.Name;
        var assessed = newPods.Select(p => (Pod: p, Problem: PodHealth.Assess(p))).ToList();
        var troubled = assessed.Where(a => a.Problem is not null).Select(a => (a.Pod, Problem: a.Problem!)).ToList();
        var replicaFailure = ReplicaFailure(deployment, newSet);
        var missing = Math.Max(0, (deployment.Spec.Replicas ?? 1) - newPods.Count);

        var candidates = troubled.GroupBy(t => t.Problem.Cause)
            .Select(g => (Cause: g.Key, Count: g.Count()))
            .ToList();
        if (replicaFailure is not null && IsQuota(replicaFailure))
        {
            candidates.Add((DiagnosisCause.QuotaExceeded, Math.Max(missing, 1)));
        }
        var deploymentEvidence = DeploymentConditions(deployment, newSet);
        if (candidates.Count == 0)
        {
            var ready = assessed.Count(a => PodHealth.IsReady(a.Pod));
            var why = replicaFailure?.Message ?? "no new pod shows a known cause";
            return new Diagnosis(
                DiagnosisCause.Unknown,
                $"{why} ({ready} of {newPods.Count} new pods ready)",
                [.. newPods.Where(p => !PodHealth.IsReady(p)).Select(p => PodObject(p, p.Status?.Phase))],
                [.. deploymentEvidence, .. WarningsAbout(events, Subjects(deployment, newSet, newPods), null)]);
        }

        var cause = candidates.OrderByDescending(c => c.Count).ThenBy(c => Rank(c.Cause)).First().Cause;
        if (cause == DiagnosisCause.QuotaExceeded)
        {
            var subjects = Subjects(deployment, newSet, []);
            return new Diagnosis(
                cause,
                $"new pods are refused by a resource quota ({missing} of {deployment.Spec.Replicas ?? 1} not created): {replicaFailure?.Message}",
                [.. subjects.Where(s => s.Kind == "ReplicaSet").Select(s => new DiagnosedObject("ReplicaSet", ns, s.Name, $"{newPods.Count} of {newSet?.Spec?.Replicas ?? 0} created"))],
                [.. deploymentEvidence, .. WarningsAbout(events, subjects, "FailedCreate")]);
        }

        var affected = troubled.Where(t => t.Problem.Cause == cause).ToList();
        var pods = affected.Select(a => a.Pod).ToList();
        var first = affected[0].Problem;
        var podEvents = WarningsAbout(events, Subjects(null, null, pods), null);
        var of = $"{affected.Count} of {newPods.Count} new pods";
        var reasons = string.Join("/", affected.Select(a => a.Problem.Reason).Distinct(StringComparer.Ordinal));
        var summary = cause switch
        {
            DiagnosisCause.ImagePullFailed =>
                $"image \"{first.Image}\" cannot be pulled ({reasons} on {of}): {PullError(podEvents, first)}",
            DiagnosisCause.CrashLoop =>
                $"container \"{first.Container}\" keeps crashing ({reasons} on {of}, {Restarts(affected.Max(a => a.Problem.RestartCount))}): {ExitText(affected.Select(a => a.Problem))}",
            DiagnosisCause.Unschedulable =>
                $"{of} cannot be scheduled: {first.Message ?? LastMessage(podEvents, "FailedScheduling")}",
            DiagnosisCause.ReadinessProbeFailing =>
                $"the readiness probe of container \"{first.Container}\" fails ({of} not ready): {LastMessage(podEvents, "Unhealthy") ?? first.Message}",
            _ => $"{reasons} on {of}: {first.Message}",
        };
        return new Diagnosis(
            cause,
            summary,
            [.. affected.Select(a => PodObject(a.Pod, StateText(a.Problem)))],
            [.. deploymentEvidence, .. affected.Take(MostEvidencePerKind).Select(a => StateEvidence(a.Pod, a.Problem)), .. podEvents]);
    }

    /// <summary>The diagnosis when the cluster could not be read: the failure itself stays as it was.</summary>
    public static Diagnosis Unreadable(string error) =>
        new(DiagnosisCause.Unknown, $"the cause could not be read from the cluster: {error}", [], []);

    private static V1DeploymentCondition? ReplicaFailureOfDeployment(V1Deployment deployment) =>
        deployment.Status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True");

    /// <summary>The Deployment copies its sets' ReplicaFailure (progress.go); the set's own is read when it has not yet.</summary>
    private static (string? Reason, string? Message)? ReplicaFailure(V1Deployment deployment, V1ReplicaSet? newSet) =>
        ReplicaFailureOfDeployment(deployment) is { } d ? (d.Reason, d.Message)
        : newSet?.Status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True") is { } s ? (s.Reason, s.Message)
        : null;

    // The apiserver's quota refusals: "exceeded quota: q, ...", "failed quota: q: must specify ...", "status unknown for quota: q".
    private static bool IsQuota((string? Reason, string? Message)? failure) =>
        failure?.Message?.Contains("quota", StringComparison.Ordinal) == true;

    private static IEnumerable<DiagnosisEvidence> DeploymentConditions(V1Deployment deployment, V1ReplicaSet? newSet)
    {
        var objectName = $"deployment/{deployment.Metadata.Name}";
        foreach (var c in deployment.Status?.Conditions ?? [])
        {
            if (c is { Type: "Progressing", Reason: "ProgressDeadlineExceeded" } || c is { Type: "ReplicaFailure", Status: "True" })
            {
                yield return new DiagnosisEvidence(ConditionSource, objectName, c.Reason ?? c.Type, c.Message ?? "", LastSeen: Utc(c.LastUpdateTime ?? c.LastTransitionTime));
            }
        }
        if (ReplicaFailureOfDeployment(deployment) is null
            && newSet?.Status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True") is { } own)
        {
            yield return new DiagnosisEvidence(ConditionSource, $"replicaset/{newSet.Metadata.Name}", own.Reason ?? own.Type, own.Message ?? "", LastSeen: Utc(own.LastTransitionTime));
        }
    }

    private static List<(string Kind, string Name)> Subjects(V1Deployment? deployment, V1ReplicaSet? newSet, IEnumerable<V1Pod> pods)
    {
        var subjects = new List<(string, string)>();
        if (deployment is not null)
        {
            subjects.Add(("Deployment", deployment.Metadata.Name));
        }
        if (newSet is not null)
        {
            subjects.Add(("ReplicaSet", newSet.Metadata.Name));
        }
        subjects.AddRange(pods.Select(p => ("Pod", p.Metadata.Name)));
        return subjects;
    }

    /// <summary>The Warning events about those objects, latest first, one per reason and message, bounded.</summary>
    private static List<DiagnosisEvidence> WarningsAbout(IReadOnlyList<ClusterEvent> events, List<(string Kind, string Name)> subjects, string? reason) =>
        events
            .Where(e => e.Type == ClusterEventType.Warning && (reason is null || e.Reason == reason)
                && subjects.Contains((e.InvolvedObject.Kind, e.InvolvedObject.Name)))
            .OrderByDescending(e => e.LastSeen)
            .DistinctBy(e => (e.Reason, Generalized(e.Message, e.InvolvedObject.Name)))
            .Take(MostEvidencePerKind)
            .Select(e => new DiagnosisEvidence(EventSource, e.Object, e.Reason, e.Message ?? "", e.Count, new DateTimeOffset(e.LastSeen, TimeSpan.Zero)))
            .ToList();

    // The same failure on two pods differs only in the pod's name: one of them is evidence enough.
    private static string? Generalized(string? message, string podName) => message?.Replace(podName, "", StringComparison.Ordinal);

    private static string PullError(List<DiagnosisEvidence> podEvents, PodProblem first) =>
        podEvents.FirstOrDefault(e => e.Reason == "Failed" && e.Message.StartsWith("Failed to pull image", StringComparison.Ordinal))?.Message
        ?? first.Message ?? first.Reason;

    private static string? LastMessage(List<DiagnosisEvidence> podEvents, string reason) =>
        podEvents.FirstOrDefault(e => e.Reason == reason)?.Message;

    private static string Restarts(int count) => count == 1 ? "1 restart" : $"{count.ToString(CultureInfo.InvariantCulture)} restarts";

    /// <summary>The last exit code and termination message, from the pod that has one.</summary>
    private static string ExitText(IEnumerable<PodProblem> problems)
    {
        var ended = problems.FirstOrDefault(p => p.TerminationMessage is not null) ?? problems.FirstOrDefault(p => p.LastExitCode is not null);
        if (ended?.LastExitCode is not { } code)
        {
            return "no exit code recorded yet";
        }
        var exit = $"last exit code {code.ToString(CultureInfo.InvariantCulture)}";
        return ended.TerminationMessage is { } message ? $"{exit}: {message}" : exit;
    }

    private static string StateText(PodProblem problem) => problem.Cause switch
    {
        DiagnosisCause.Unschedulable => "Pending (Unschedulable)",
        DiagnosisCause.CrashLoop => $"{problem.Reason} ({Restarts(problem.RestartCount)})",
        _ => problem.Reason,
    };

    private static DiagnosisEvidence StateEvidence(V1Pod pod, PodProblem problem)
    {
        var message = problem.Cause == DiagnosisCause.CrashLoop && problem.LastExitCode is { } code
            ? $"last exit code {code.ToString(CultureInfo.InvariantCulture)}{(problem.TerminationMessage is { } m ? $": {m}" : "")}"
            : problem.Message ?? "";
        return problem.Container is null
            ? new DiagnosisEvidence(ConditionSource, $"pod/{pod.Metadata.Name}", problem.Reason, message)
            : new DiagnosisEvidence(ContainerStateSource, $"pod/{pod.Metadata.Name} container {problem.Container}", problem.Reason, message, problem.RestartCount);
    }

    private static DiagnosedObject PodObject(V1Pod pod, string? state) => new("Pod", pod.Metadata.NamespaceProperty, pod.Metadata.Name, state);

    private static int Rank(DiagnosisCause cause) => cause switch
    {
        DiagnosisCause.QuotaExceeded => 0,
        DiagnosisCause.Unschedulable => 1,
        DiagnosisCause.ImagePullFailed => 2,
        DiagnosisCause.CrashLoop => 3,
        DiagnosisCause.ReadinessProbeFailing => 4,
        _ => 5,
    };

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc)) : null;
}
