namespace ClusterManagement.Nodes;

/// <summary>What a drain does with one pod.</summary>
// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum DrainAction : long
{
    /// <summary>Evicted (or deleted, with -DisableEviction).</summary>
    Evict,

    /// <summary>Left running on purpose: a mirror pod, or a DaemonSet pod with -IgnoreDaemonSets.</summary>
    Skip,

    /// <summary>Stops the drain: kubectl refuses it without a flag, or it could not be evicted.</summary>
    Block,
}

/// <summary>One pod of a drain plan or result, with kubectl's reason when it is not simply evicted.</summary>
public sealed class DrainPodStatus
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public required DrainAction Action { get; init; }

    /// <summary>kubectl's wording: "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)", a warning, or the server's refusal.</summary>
    public string? Reason { get; init; }

    public override string ToString() => Reason is null ? $"{Namespace}/{Name}" : $"{Namespace}/{Name} ({Reason})";
}
