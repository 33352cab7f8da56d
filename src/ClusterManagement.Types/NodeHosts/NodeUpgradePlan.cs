using ClusterManagement.Collections;
using ClusterManagement.Connection;

namespace ClusterManagement.NodeHosts;

// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum NodeUpgradeStep : long
{
    /// <summary>The first control plane: kubeadm upgrade apply, which moves the API server and the cluster's configuration to the target.</summary>
    ControlPlaneApply,

    /// <summary>Another control plane: kubeadm upgrade node upgrades its own static pods to the version apply set.</summary>
    ControlPlaneNode,

    /// <summary>A worker: kubeadm upgrade node refreshes its kubelet configuration.</summary>
    Worker,

    /// <summary>The node is already at the target: nothing to do.</summary>
    None,
}

/// <summary>One node's part of a Kubernetes version upgrade, as kubeadm upgrade plan and the skew rules see it; read-only.</summary>
public sealed class NodeUpgradePlan : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }

    public required NodeUpgradeStep Step { get; init; }

    /// <summary>The kubelet's version as its Node reports it (status.nodeInfo.kubeletVersion), e.g. v1.31.4.</summary>
    public string? KubeletVersion { get; init; }

    /// <summary>The kubeadm on the host (kubeadm version -o json); null when it is not installed or the host was not reached.</summary>
    public string? KubeadmVersion { get; init; }

    /// <summary>The API server's version (/version gitVersion).</summary>
    public required string ApiServerVersion { get; init; }

    /// <summary>The Kubernetes version the node goes to, e.g. v1.32.4.</summary>
    public required string Target { get; init; }

    /// <summary>The kubeadm package versions the node's package sources offer, newest first.</summary>
    public required ValueList<string> Available { get; init; }

    /// <summary>Packages held on the host (apt-mark showhold, dnf versionlock). Holds on kubelet, kubeadm and kubectl are the usual ones: the upgrade lifts them for its install and puts them back at the target.</summary>
    public required ValueList<string> Held { get; init; }

    /// <summary>Why the node cannot be upgraded to the target now, one reason each; empty when nothing stands in the way.</summary>
    public required ValueList<string> Blockers { get; init; }

    public override string ToString() => $"{Node} {Step} {KubeletVersion} -> {Target}";
}
