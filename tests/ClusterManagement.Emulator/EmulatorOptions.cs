using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Nodes;

namespace ClusterManagement.Emulator;

/// <summary>How an emulator starts. The standalone program maps its command-line arguments onto this.</summary>
public sealed record EmulatorOptions
{
    public int Workers { get; init; } = 3;
    public int ControlPlanes { get; init; } = 1;

    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }

    public double HeartbeatSeconds { get; init; } = 10;
    public double NodeGraceSeconds { get; init; } = 40;
    public double PodReadySeconds { get; init; } = 1;

    /// <summary>Seed kube-proxy and control-plane pods on every node (benchmarks may only want nodes).</summary>
    public bool SeedPods { get; init; } = true;

    /// <summary>Bound claims (with their volumes) seeded across ten bench-NN namespaces, for benchmarks.</summary>
    public int SeedClaims { get; init; }

    /// <summary>
    /// Seed the sample app default/web (2 pods on workers). Off unless asked for (the sandbox, the docs
    /// examples, the apps suites), so other suites keep their pod counts per node.
    /// </summary>
    public bool SampleApp { get; init; }

    /// <summary>Extra one-replica Deployments to seed (benchmarks), 100 per namespace bench-01, bench-02...</summary>
    public int SampleApps { get; init; }

    /// <summary>
    /// kube-public/cluster-info and kube-system/kubeadm-config, as kubeadm init creates them; off for a
    /// cluster made some other way, which kubeadm join (and New-ClusterNode) cannot join.
    /// </summary>
    public bool KubeadmObjects { get; init; } = true;

    /// <summary>
    /// The API server's version at start (/version, the kubeadm-config ClusterConfiguration), v1.X.Y. It moves
    /// when a control-plane host's kubeadm upgrades the API server (see README, "Kubernetes version").
    /// </summary>
    public string KubernetesVersion { get; init; } = Discovery.ServerVersion.Default;

    /// <summary>Where kubeconfig (and, standalone, emulator.json) go; null = a temporary directory removed on dispose.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Events a watch can resume from; older resourceVersions get 410 Expired.</summary>
    public int WatchHistorySize { get; init; } = 10_000;

    /// <summary>Recent requests kept for <see cref="KubeEmulator.Requests"/> and the control API.</summary>
    public int RequestLogSize { get; init; } = 2_000;

    /// <summary>The certificate the server presents; anything but Valid makes every TLS handshake fail verification.</summary>
    public ServingCertificate ServingCertificate { get; init; } = ServingCertificate.Valid;

    /// <summary>Kinds, admission plugins, subresource handlers, controllers and seeders, applied in order.</summary>
    public IReadOnlyList<IEmulatorModule> Modules { get; init; } =
        [new CoreModule(), new Network.NetworkModule(), new NodesModule(), new AppsModule(), new RbacModule(), new StorageModule(), new Workloads.WorkloadsModule(), new Certificates.CertificatesModule(), new GeneratedObjectKindsModule(), new Deletion.DeletionModule(), new Autoscaling.AutoscalingModule(), new Kubeadm.KubeadmModule(), new Batch.BatchModule(), new Quota.ResourceQuotaModule()];
}

/// <summary>What the server's TLS certificate is, to test clients against the three ways verification fails.</summary>
public enum ServingCertificate
{
    /// <summary>Issued by the kubeconfig's CA for 127.0.0.1 and localhost.</summary>
    Valid,

    /// <summary>For 127.0.0.1 and localhost, but issued by a CA the kubeconfig does not name.</summary>
    OtherAuthority,

    /// <summary>Issued by the kubeconfig's CA, for 127.0.0.2 only.</summary>
    OtherAddress,

    /// <summary>Issued by the kubeconfig's CA for 127.0.0.1, expired yesterday.</summary>
    Expired,
}
