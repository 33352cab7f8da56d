using ClusterManagement.Connection;

namespace ClusterManagement.NodeHosts;

// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum NodeDockerState : long
{
    /// <summary>The engine answered through docker system dial-stdio over SSH.</summary>
    Running,

    /// <summary>SSH works but the engine does not answer (not installed, stopped or failed).</summary>
    Stopped,

    /// <summary>The host could not be reached or refused the connection.</summary>
    Unreachable,

    /// <summary>The probe did not finish within its timeout.</summary>
    Timeout,
}

/// <summary>One node's Docker Engine, as `docker-machine ls` showed it, read through the Engine API.</summary>
public sealed class NodeDocker : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }
    public required NodeDockerState State { get; init; }
    public string? Version { get; init; }
    public string? ApiVersion { get; init; }
    public string? Containerd { get; init; }

    /// <summary>containerd's build as the engine reports it (its GitCommit; the full package version on distribution builds).</summary>
    public string? ContainerdBuild { get; init; }
    public string? Runc { get; init; }
    public string? Os { get; init; }
    public string? Kernel { get; init; }
    public string? StorageDriver { get; init; }
    public string? CgroupDriver { get; init; }

    /// <summary>
    /// What the kubelet runs the node's pods on, as its Node reports it: containerd://VERSION when it uses
    /// containerd's CRI plugin (the engine then only runs beside the pods), docker://VERSION through
    /// cri-dockerd. Null while the node reports none.
    /// </summary>
    public string? PodRuntime { get; init; }

    /// <summary>How the module reaches the engine: the SSH login and the engine's unix socket, e.g. ssh://admin@10.0.0.5:22/var/run/docker.sock.</summary>
    public string? Endpoint { get; init; }

    public string? Error { get; init; }

    public override string ToString() => $"{Node} {State} {Version}";
}
