using k8s.Models;

using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.Nodes;

/// <summary>What a drain of one node would do, decided by kubectl's filters before anything changes.</summary>
internal sealed class DrainPlan
{
    internal DrainPlan(string node, IReadOnlyList<(V1Pod Pod, DrainPodStatus Status)> pods)
    {
        Node = node;
        Pods = pods;
    }

    public string Node { get; }

    public DrainPodStatus[] Evict => [.. Pods.Where(p => p.Status.Action == DrainAction.Evict).Select(p => p.Status)];

    public DrainPodStatus[] Skip => [.. Pods.Where(p => p.Status.Action == DrainAction.Skip).Select(p => p.Status)];

    /// <summary>Pods kubectl would refuse to drain without a flag; a plan with any cannot run.</summary>
    public DrainPodStatus[] Block => [.. Pods.Where(p => p.Status.Action == DrainAction.Block).Select(p => p.Status)];

    internal IReadOnlyList<(V1Pod Pod, DrainPodStatus Status)> Pods { get; }

    /// <summary>Every pod and what would happen to it, one per line: what -WhatIf and -Confirm show.</summary>
    public string Describe()
    {
        var evict = Evict;
        var skip = Skip;
        var lines = new List<string> { $"Drain node {Node}: cordon it, evict {evict.Length} pod(s), leave {skip.Length} pod(s) running." };
        lines.AddRange(evict.Select(p => p.Reason is null ? $"  evict {p.Namespace}/{p.Name}" : $"  evict {p.Namespace}/{p.Name} ({p.Reason})"));
        lines.AddRange(skip.Select(p => $"  leave {p.Namespace}/{p.Name} ({p.Reason})"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>kubectl's aggregated drain warnings: "deleting Pods that declare no controller: default/a, default/b".</summary>
    public IEnumerable<string> Warnings() =>
        Pods.Select(p => p.Status)
            .Where(s => s.Reason is not null && s.Reason != DrainFilters.MirrorSkip && s.Action != DrainAction.Block)
            .GroupBy(s => s.Reason!)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(s => $"{s.Namespace}/{s.Name}"))}");

    /// <summary>kubectl's "cannot delete ..." lines, one per reason, naming the pods.</summary>
    public IEnumerable<string> Problems() =>
        Block.GroupBy(s => s.Reason ?? "unexpected error")
            .Select(g => $"cannot delete {g.Key}: {string.Join(", ", g.Select(s => $"{s.Namespace}/{s.Name}"))}");

    internal IEnumerable<V1Pod> PodsToEvict => Pods.Where(p => p.Status.Action == DrainAction.Evict).Select(p => p.Pod);
}
