using ClusterManagement.Connection;

namespace ClusterManagement.Network;

/// <summary>A network of a node's Docker Engine with its address management (IPAM) settings.</summary>
public sealed class EngineNetwork : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }
    public required string Name { get; init; }
    public required string Id { get; init; }
    public required string Driver { get; init; }
    public required string Scope { get; init; }

    /// <summary>The IPAM subnets, IPv4 and IPv6, in the engine's order.</summary>
    public required ValueList<string> Subnets { get; init; }

    /// <summary>The gateways of the subnets that have one.</summary>
    public required ValueList<string> Gateways { get; init; }

    /// <summary>The ranges containers get addresses from, where narrower than the subnet.</summary>
    public required ValueList<string> IPRanges { get; init; }

    public required bool Internal { get; init; }
    public required bool EnableIPv6 { get; init; }

    /// <summary>Names of the containers attached to the network.</summary>
    public required ValueList<string> Containers { get; init; }

    public required ValueMap Labels { get; init; }

    public override string ToString() => Name;
}
