using System.Globalization;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Nodes;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// Why a node is not Ready (its conditions, and its last heartbeat judged as the node lifecycle controller
/// judges it), and why a drain did not finish (the pods left, and the PodDisruptionBudgets that hold them).
/// </summary>
internal static class NodeDiagnosis
{
    /// <summary>The conditions that say something is wrong when True; Ready says so when it is not True.</summary>
    private static readonly HashSet<string> ProblemWhenTrue = new(StringComparer.Ordinal) { "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable" };

    /// <summary>Null when the node is Ready.</summary>
    public static Diagnosis? NotReady(V1Node node, V1Lease? lease, DateTime now)
    {
        var name = node.Metadata.Name;
        var conditions = node.Status?.Conditions ?? [];
        var ready = conditions.FirstOrDefault(c => c.Type == "Ready");
        if (ready?.Status == "True")
        {
            return null;
        }
        var state = ready?.Status switch { "False" => "NotReady", null => "without a Ready condition", _ => "Unknown" };
        var evidence = conditions
            .Where(c => c.Type == "Ready" ? c.Status != "True" : ProblemWhenTrue.Contains(c.Type) && c.Status == "True")
            .Select(c => new DiagnosisEvidence("Condition", $"node/{name}", c.Reason ?? c.Type, $"{c.Type} is {c.Status}: {c.Message}", LastSeen: Utc(c.LastHeartbeatTime)))
            .ToList();
        var renewed = lease?.Spec?.RenewTime;
        if (renewed is not null)
        {
            evidence.Add(new DiagnosisEvidence("Lease", $"lease/{name}", "RenewTime", $"kube-node-lease/{name} last renewed {Ago(renewed.Value, now)}", LastSeen: Utc(renewed)));
        }
        evidence.AddRange((node.Spec?.Taints ?? []).Where(t => t.Key.StartsWith("node.kubernetes.io/", StringComparison.Ordinal))
            .Select(t => new DiagnosisEvidence("Taint", $"node/{name}", t.Key, $"{t.Key}:{t.Effect}")));

        // tryUpdateNodeHealth: the later of the status heartbeat and the Lease renewal is when the kubelet was last heard from.
        var heartbeat = new[] { ready?.LastHeartbeatTime, renewed }.Where(t => t is not null).Max();
        var heard = heartbeat is null ? "it has sent no heartbeat" : $"its last heartbeat came {Ago(heartbeat.Value, now)}";
        var why = ready is null ? "" : $" ({ready.Reason}: {ready.Message})";
        return new Diagnosis(DiagnosisCause.NodeNotReady, $"Node {name} is {state}{why}; {heard}.",
            [new DiagnosedObject("Node", null, name, state)], evidence);
    }

    /// <summary>The pods a drain left on its node, each with the budgets that select it (those that still exist).</summary>
    public static Diagnosis Drain(NodeDrainResult result, IReadOnlyList<V1Pod> podsOnNode, IReadOnlyList<V1PodDisruptionBudget> budgets)
    {
        var affected = new List<DiagnosedObject>();
        var evidence = new List<DiagnosisEvidence>();
        var held = new List<string>();
        var others = new List<string>();
        var budgetsShown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var left in result.Failed)
        {
            var pod = podsOnNode.FirstOrDefault(p => p.Metadata.NamespaceProperty == left.Namespace && p.Metadata.Name == left.Name);
            // A pod already terminating was evicted: what keeps it is its grace period or a finalizer, not a budget.
            var holders = pod is null || pod.Metadata.DeletionTimestamp is not null
                ? []
                : budgets.Where(b => b.Metadata.NamespaceProperty == left.Namespace && DisruptionBudgets.Selects(b.Spec?.Selector, pod.Metadata.Labels)).ToList();
            var podName = $"{left.Namespace}/{left.Name}";
            if (holders.Count == 0)
            {
                affected.Add(new DiagnosedObject("Pod", left.Namespace, left.Name, left.Reason));
                others.Add($"{podName} ({left.Reason})");
                continue;
            }
            var names = string.Join(", ", holders.Select(b => $"{b.Metadata.NamespaceProperty}/{b.Metadata.Name}"));
            affected.Add(new DiagnosedObject("Pod", left.Namespace, left.Name, $"held by PodDisruptionBudget {names}"));
            evidence.Add(new DiagnosisEvidence("Eviction", $"pod/{left.Name}", "TooManyRequests", left.Reason ?? "not evicted"));
            held.Add($"{podName} by {string.Join(", ", holders.Select(Describe))}");
            foreach (var budget in holders.Where(b => budgetsShown.Add($"{b.Metadata.NamespaceProperty}/{b.Metadata.Name}")))
            {
                var status = budget.Status;
                evidence.Add(new DiagnosisEvidence("PodDisruptionBudget", $"poddisruptionbudget/{budget.Metadata.Name}",
                    status?.Conditions?.FirstOrDefault(c => c.Type == "DisruptionAllowed")?.Reason ?? "DisruptionAllowed",
                    $"currentHealthy {status?.CurrentHealthy}, desiredHealthy {status?.DesiredHealthy}, disruptionsAllowed {status?.DisruptionsAllowed}, expectedPods {status?.ExpectedPods}"));
            }
        }
        var rest = others.Count == 0 ? "" : $" Also still on the node: {string.Join("; ", others)}.";
        return held.Count > 0
            ? new Diagnosis(DiagnosisCause.DrainBlockedByDisruptionBudget,
                $"PodDisruptionBudgets allow no more disruptions of the pods left on node {result.Node}: {string.Join("; ", held)}.{rest}", affected, evidence)
            : new Diagnosis(DiagnosisCause.Unknown,
                $"No PodDisruptionBudget holds the pods left on node {result.Node}: {string.Join("; ", others)}.", affected, evidence);
    }

    private static string Describe(V1PodDisruptionBudget budget) =>
        $"{budget.Metadata.NamespaceProperty}/{budget.Metadata.Name} ({budget.Status?.CurrentHealthy} healthy, {budget.Status?.DesiredHealthy} needed, {budget.Status?.DisruptionsAllowed} disruptions allowed)";

    private static string Ago(DateTime when, DateTime now) =>
        $"{HumanDuration.Format(now - DateTime.SpecifyKind(when, DateTimeKind.Utc))} ago ({DateTime.SpecifyKind(when, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)})";

    private static DateTimeOffset? Utc(DateTime? when) => when is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
