using ClusterManagement.Connection;

namespace ClusterManagement.NodeHosts;

/// <summary>One systemd unit on a node host, as `systemctl show` reports it.</summary>
public sealed class NodeUnit : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }

    /// <summary>loaded, not-found, masked ...</summary>
    public required string LoadState { get; init; }

    /// <summary>active, inactive, failed, activating ...</summary>
    public required string ActiveState { get; init; }

    public required string SubState { get; init; }

    /// <summary>The unit file state: enabled, disabled, static ... null when the unit has no file.</summary>
    public string? Enabled { get; init; }

    /// <summary>When the unit last entered its current active/inactive state (UTC).</summary>
    public DateTime? Since { get; init; }

    /// <summary>Null when the unit has no running main process.</summary>
    public int? MainPid { get; init; }

    public override string ToString() => $"{Node}/{Name} {ActiveState}";
}
