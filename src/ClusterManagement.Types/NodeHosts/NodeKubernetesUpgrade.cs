using ClusterManagement.Connection;

namespace ClusterManagement.NodeHosts;

// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum NodeKubernetesUpgradeStatus : long
{
    /// <summary>Upgraded; the Node reported the target kubelet version and Ready, and is schedulable again.</summary>
    Upgraded,

    /// <summary>Already at the target version; nothing was changed.</summary>
    Current,

    /// <summary>The upgrade failed; a node that was cordoned stays cordoned (the error has kubeadm's output or the kubelet's journal).</summary>
    Failed,

    /// <summary>Not attempted because an earlier node or batch failed.</summary>
    NotStarted,
}

/// <summary>One node's Kubernetes version upgrade in a rolling Update-ClusterNode.</summary>
public sealed class NodeKubernetesUpgrade : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }

    /// <summary>1-based batch number: each control plane is a batch of its own, then the workers in batches of -MaxUnavailable. 0 for a node left out because SSH could not reach it.</summary>
    public required int Batch { get; init; }

    public required NodeUpgradeStep Step { get; init; }

    /// <summary>The kubelet's version before, as the Node reported it (v1.31.4).</summary>
    public string? From { get; init; }

    /// <summary>The target Kubernetes version (v1.32.4).</summary>
    public required string To { get; init; }

    public required bool Drained { get; init; }

    /// <summary>How long it took, as an ISO 8601 duration in whole seconds (PT21S).</summary>
    public required string Duration { get; init; }

    /// <summary>From the node's cordon to its uncordon (ISO 8601); null when this run did not cordon it or left it cordoned.</summary>
    public string? UnavailableFor { get; init; }

    public required NodeKubernetesUpgradeStatus Status { get; init; }

    public string? Error { get; init; }

    public override string ToString() => $"{Node} {From} -> {To} {Status}";
}
