using ClusterManagement.Connection;

namespace ClusterManagement.Network;

// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum RouteFamily : long
{
    IPv4,
    IPv6,
}

/// <summary>A route of a node host's main routing table, as <c>ip route</c> shows it.</summary>
public sealed class NodeRoute : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }

    /// <summary>The destination as a CIDR ("default" is 0.0.0.0/0 or ::/0).</summary>
    public required string Destination { get; init; }

    public string? Gateway { get; init; }
    public string? Device { get; init; }

    /// <summary>Who made the route: kernel, boot, static, dhcp, ra ...</summary>
    public string? Protocol { get; init; }

    public string? Scope { get; init; }
    public int? Metric { get; init; }
    public required RouteFamily Family { get; init; }

    /// <summary>The file that brings the route back after a reboot, when Add-NodeRoute -Persist wrote one.</summary>
    public string? PersistedIn { get; init; }

    public override string ToString() => $"{Destination} via {Gateway ?? Device}";
}
