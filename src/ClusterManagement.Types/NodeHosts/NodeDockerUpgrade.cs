using ClusterManagement.Connection;

namespace ClusterManagement.NodeHosts;

// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum NodeDockerUpgradeStatus : long
{
    /// <summary>Upgraded and verified through the Engine API; the node is schedulable again.</summary>
    Upgraded,

    /// <summary>Already at the target versions; nothing was changed.</summary>
    Current,

    /// <summary>The upgrade failed; the node is left cordoned (see the error for the engine's journal). A node SSH could not reach is Failed in batch 0, untouched and not cordoned.</summary>
    Failed,

    /// <summary>Not attempted because an earlier batch failed.</summary>
    NotStarted,
}

/// <summary>One node's engine upgrade in a rolling Update-NodeDocker.</summary>
public sealed class NodeDockerUpgrade : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }

    /// <summary>1-based batch number; nodes of one batch are upgraded at the same time. 0 for a node left out of the rollout because SSH could not reach it.</summary>
    public required int Batch { get; init; }

    /// <summary>Installed package versions before, e.g. "docker.io 20.10.24+dfsg1-1+deb12u1+b6, containerd 1.6.20~ds1-1+deb12u2".</summary>
    public string? From { get; init; }

    public required string To { get; init; }

    public required bool Drained { get; init; }

    /// <summary>How long it took, as an ISO 8601 duration in whole seconds (PT21S); [System.Xml.XmlConvert]::ToTimeSpan reads it.</summary>
    public required string Duration { get; init; }

    /// <summary>
    /// How long the node was out of service: from its cordon to its uncordon (ISO 8601, whole seconds). The packages were
    /// downloaded before the cordon, so this holds the drain, install, restart and verification only. Null when the node was
    /// not cordoned by this run (Current, NotStarted, a failure before the cordon) or is left cordoned (Failed after the cordon, or cordoned by someone else).
    /// </summary>
    public string? UnavailableFor { get; init; }

    public required NodeDockerUpgradeStatus Status { get; init; }

    public string? Error { get; init; }

    public override string ToString() => $"{Node} {From} -> {To} {Status}";
}
