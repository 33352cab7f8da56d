using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Workloads;

namespace ClusterManagement.Emulator.Scheduling;

/// <summary>
/// The default profile's filter plugins that decide where a pod may run, in their order
/// (pkg/scheduler/framework/plugins): NodeUnschedulable, TaintToleration, NodeAffinity,
/// NodeResourcesFit. A node fails with the first plugin that rejects it, as RunFilterPlugins stops
/// there; the reasons are the plugins' own strings, which FitError counts into its message.
/// </summary>
public static class SchedulingFilters
{
    public const string UnschedulableTaint = "node.kubernetes.io/unschedulable";
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";

    /// <summary>Why a node was rejected; <paramref name="Resolvable"/> when preemption could help (only NodeResourcesFit's).</summary>
    public sealed record Rejection(IReadOnlyList<string> Reasons, bool Resolvable);

    public static Rejection? Filter(JsonObject pod, NodeUsage node)
    {
        var tolerations = pod.ObjectsAt("spec", "tolerations").ToList();
        if (node.Node.BoolAt("spec", "unschedulable")
            && !WorkloadPods.Tolerates(tolerations, new JsonObject { ["key"] = UnschedulableTaint, ["effect"] = "NoSchedule" }))
        {
            return new(["node(s) were unschedulable"], false);
        }
        if (Taints(node.Node).FirstOrDefault(t => t.StringAt("effect") is "NoSchedule" or "NoExecute" && !WorkloadPods.Tolerates(tolerations, t)) is { } taint)
        {
            return new([$"node(s) had untolerated taint {{{taint.StringAt("key")}: {taint.StringAt("value")}}}"], false);
        }
        if (!NodeAffinity.Matches(pod, node.Node))
        {
            return new(["node(s) didn't match Pod's node affinity/selector"], false);
        }
        var insufficient = node.Insufficient(PodRequests.Of(pod));
        return insufficient.Count == 0 ? null : new(insufficient, true);
    }

    /// <summary>
    /// The node's taints, plus the not-ready NoSchedule taint the node lifecycle controller's
    /// TaintNodesByCondition puts on a node whose Ready condition is not True (the emulator's
    /// controller only writes the unreachable ones), so a joining node gets no pods before it is Ready.
    /// </summary>
    private static IEnumerable<JsonObject> Taints(JsonObject node)
    {
        var taints = node.ObjectsAt("spec", "taints").ToList();
        if (node.Condition("Ready")?.StringAt("status") != "True"
            && !taints.Any(t => t.StringAt("key") is NotReadyTaint or Kinds.NodeConditions.UnreachableTaint && t.StringAt("effect") == "NoSchedule"))
        {
            taints.Add(new JsonObject { ["key"] = NotReadyTaint, ["effect"] = "NoSchedule" });
        }
        return taints;
    }

    /// <summary>
    /// FitError.Error() with DefaultPreemption's PostFilter message: `0/3 nodes are available: 1 node(s)
    /// had untolerated taint {k: v}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1
    /// Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.`
    /// (reason counts sorted as strings). Preemption itself is not emulated: the emulator never evicts
    /// a lower-priority pod, so the victims search is reported as having found none.
    /// </summary>
    public static string FitError(JsonObject pod, IReadOnlyList<Rejection> rejections)
    {
        if (rejections.Count == 0)
        {
            return "no nodes available to schedule pods";
        }
        var all = $"0/{rejections.Count} nodes are available";
        var message = $"{all}: {Histogram(rejections.SelectMany(r => r.Reasons))}.";
        var preemption = pod.StringAt("spec", "preemptionPolicy") == "Never"
            ? "not eligible due to preemptionPolicy=Never."
            : $"{all}: {Histogram(rejections.Select(r => r.Resolvable ? "No preemption victims found for incoming pod" : "Preemption is not helpful for scheduling"))}.";
        return $"{message} preemption: {preemption}";
    }

    private static string Histogram(IEnumerable<string> reasons) => string.Join(", ", reasons
        .GroupBy(r => r)
        .Select(g => $"{g.Count()} {g.Key}")
        .OrderBy(s => s, StringComparer.Ordinal));
}
