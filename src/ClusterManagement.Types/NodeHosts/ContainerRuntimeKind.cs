namespace ClusterManagement.NodeHosts;

/// <summary>Which container runtime the kubelet runs a node's pods with, through its CRI socket.</summary>
public enum ContainerRuntimeKind
{
    /// <summary>containerd's own CRI plugin (unix:///var/run/containerd/containerd.sock); the Docker Engine runs beside it on the same containerd.</summary>
    Containerd,

    /// <summary>The Docker Engine through cri-dockerd (unix:///run/cri-dockerd.sock): Kubernetes 1.24 removed the kubelet's built-in dockershim.</summary>
    Docker,
}
