using ClusterManagement.Connection;

namespace ClusterManagement.Network;

/// <summary>A node's place in the cluster network: its addresses and the pod ranges given to it.</summary>
public sealed class NodeNetwork : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }
    public string? InternalIP { get; init; }
    public string? ExternalIP { get; init; }
    public string? Hostname { get; init; }

    /// <summary>All InternalIP addresses, for dual-stack nodes (IPv4 and IPv6).</summary>
    public required ValueList<string> InternalIPs { get; init; }

    public required ValueList<string> PodCIDRs { get; init; }
    public required bool Ready { get; init; }

    /// <summary>What is wrong with this node's share of the network, if anything.</summary>
    public required ValueList<string> Problems { get; init; }

    public override string ToString() => Node;
}

/// <summary>The cluster-wide view: what the API reveals of the service network and the pod ranges.</summary>
public sealed class ClusterNetworkSummary : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    /// <summary>The ClusterIP of the <c>kubernetes</c> Service: the first address of the service network.</summary>
    public string? KubernetesServiceIP { get; init; }

    /// <summary>The service range from the ServiceCIDR API where the server has it; null where it does not say.</summary>
    public ValueList<string>? ServiceCIDRs { get; init; }

    public required int Nodes { get; init; }
    public required int NodesWithoutPodCIDR { get; init; }
    public required ValueList<string> PodCIDRs { get; init; }
    public required ValueList<string> Problems { get; init; }
}
