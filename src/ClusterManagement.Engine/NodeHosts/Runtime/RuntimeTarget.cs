using System.Globalization;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Runtime;

/// <summary>
/// The runtime the kubelet is to run pods with, and where it finds it. Kubernetes 1.24 removed the
/// dockershim: the kubelet speaks only CRI, to containerd's CRI plugin or, for the Docker Engine, to cri-dockerd.
/// </summary>
internal sealed record RuntimeTarget(ContainerRuntimeKind Kind, string? CriDockerdPackage)
{
    public const string ContainerdSocket = "unix:///var/run/containerd/containerd.sock";
    public const string CriDockerdSocket = "unix:///run/cri-dockerd.sock";
    public const string ContainerdConfigPath = "/etc/containerd/config.toml";

    public string CriSocket => Kind == ContainerRuntimeKind.Docker ? CriDockerdSocket : ContainerdSocket;

    /// <summary>How the kubelet names the runtime in nodeInfo.containerRuntimeVersion: the CRI's RuntimeName.</summary>
    public string ReportedName => Kind == ContainerRuntimeKind.Docker ? "docker" : "containerd";

    /// <summary>A package file on this machine (copied to the node) rather than a package name in the node's sources.</summary>
    public bool CriDockerdIsFile => CriDockerdPackage is { } package && (package.Contains('/', StringComparison.Ordinal) || package.Contains('\\', StringComparison.Ordinal) || package.EndsWith(".deb", StringComparison.OrdinalIgnoreCase));

    /// <summary>Refuses a combination that cannot work before anything is contacted.</summary>
    public static RuntimeTarget Create(ContainerRuntimeKind kind, string? criDockerdPackage)
    {
        if (kind == ContainerRuntimeKind.Docker && string.IsNullOrWhiteSpace(criDockerdPackage))
        {
            throw new ClusterException(ClusterErrors.CriDockerdPackageMissing,
                "-ContainerRuntime Docker needs cri-dockerd: the kubelet (1.24 and later) reaches the Docker Engine only through it, and no distribution ships it. "
                + "Give its package with -CriDockerdPackage (a .deb file here, or a package name the node's sources offer), or use -ContainerRuntime Containerd.", kind);
        }

        if (kind != ContainerRuntimeKind.Docker && criDockerdPackage is not null)
        {
            throw new ClusterException(ClusterErrors.CriDockerdPackageInvalid, $"-CriDockerdPackage goes with -ContainerRuntime Docker only; with {kind} the kubelet uses containerd's own CRI plugin.", criDockerdPackage);
        }

        var target = new RuntimeTarget(kind, criDockerdPackage);
        if (target.CriDockerdIsFile)
        {
            var path = Path.GetFullPath(criDockerdPackage!);
            if (!File.Exists(path) || !path.EndsWith(".deb", StringComparison.OrdinalIgnoreCase))
            {
                throw new ClusterException(ClusterErrors.CriDockerdPackageInvalid, $"-CriDockerdPackage {criDockerdPackage}: no .deb file at {path}.", criDockerdPackage);
            }

            return target with { CriDockerdPackage = path };
        }

        if (criDockerdPackage is not null)
        {
            try
            {
                PackageVersions.RequirePackageName(criDockerdPackage);
            }
            catch (ClusterException e)
            {
                throw new ClusterException(ClusterErrors.CriDockerdPackageInvalid, $"-CriDockerdPackage {criDockerdPackage} is neither a .deb file nor a package name: {e.Message}", criDockerdPackage);
            }
        }

        return target;
    }

    /// <summary>
    /// The pause (sandbox) image kubeadm of that minor version expects (cmd/kubeadm/app/constants PauseVersion):
    /// a runtime on another one pulls a second image for every pod sandbox, and kubeadm's preflight warns about it.
    /// </summary>
    public static string PauseImageFor(string kubernetesPackageVersion, string node)
    {
        var parts = PackageVersions.WithoutEpoch(kubernetesPackageVersion).Split('.', '-', '+', '~');
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) || parts[0] != "1")
        {
            throw new ClusterException(ClusterErrors.KubeadmVersionUnknown, $"Cannot tell which pause image Kubernetes {kubernetesPackageVersion} on {node} uses.", node);
        }

        var version = minor switch
        {
            >= 34 => "3.10.1",
            >= 31 => "3.10",
            >= 26 => "3.9",
            25 => "3.8",
            24 => "3.7",
            _ => "3.6",
        };
        return $"registry.k8s.io/pause:{version}";
    }
}
