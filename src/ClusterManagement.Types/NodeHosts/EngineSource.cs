namespace ClusterManagement.NodeHosts;

/// <summary>Where a node's engine packages come from.</summary>
public enum EngineSource
{
    /// <summary>The distribution's own packages (docker.io, containerd, runc on Debian/Ubuntu).</summary>
    Distribution,

    /// <summary>Docker's packages (docker-ce, docker-ce-cli, containerd.io) from Docker's repository, which must be configured on the host.</summary>
    DockerCE,
}
