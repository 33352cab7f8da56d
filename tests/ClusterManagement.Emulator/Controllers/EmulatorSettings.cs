namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// Timings (and the emulated registry's images) that tests and the control API change while the
/// emulator runs; controllers read them on every pass, so a change applies from the next pass.
/// </summary>
public sealed class EmulatorSettings
{
    /// <summary>The kubelets' nodeStatusUpdateFrequency and Lease renew interval.</summary>
    public TimeSpan HeartbeatInterval { get; set; }

    /// <summary>The kubelets' nodeStatusReportFrequency: an unchanged status is posted this often.</summary>
    public TimeSpan NodeStatusReportFrequency { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan NodeGracePeriod { get; set; }
    public TimeSpan PodReadyDelay { get; set; }

    /// <summary>How often an idle watch with allowWatchBookmarks gets a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; }

    /// <summary>Age after which a list continue token is refused with 410, standing in for etcd compaction.</summary>
    public TimeSpan ContinueTokenLifetime { get; set; }

    /// <summary>How long the simulated CSI driver takes to provision a volume once a claim can be provisioned.</summary>
    public TimeSpan ProvisioningDelay { get; set; }

    /// <summary>How far the cluster's clock (<see cref="EmulatorClock"/>) is ahead of the machine's.</summary>
    public TimeSpan ClockOffset
    {
        get;
        set
        {
            field = value;
            ClockMoved?.Invoke();
        }
    }

    /// <summary>Raised when <see cref="ClockOffset"/> is set, so timers on the cluster's clock can fire what became due.</summary>
    internal event Action? ClockMoved;

    /// <summary>How often the node lifecycle controller looks for silent nodes.</summary>
    public TimeSpan NodeMonitorPeriod { get; set; }

    /// <summary>Emulated kubelets' back-offs and probe periods are the real ones times this (0.1: a 10s back-off takes 1s).</summary>
    public double KubeletTimeScale { get; set; } = 0.1;

    /// <summary>What pulling and running each image does on the emulated nodes.</summary>
    public Kubelet.ImageRegistry Images { get; } = new();

    /// <summary>
    /// The API server's gitVersion (/version): the one its static pod's image names, so it moves when a
    /// control-plane host's kubeadm rewrites that manifest and the kubelet restarts the server.
    /// </summary>
    public string ApiServerVersion { get; set; } = Discovery.ServerVersion.Default;

    internal static EmulatorSettings From(EmulatorOptions options) => new()
    {
        ApiServerVersion = Discovery.ServerVersion.IsValid(options.KubernetesVersion)
            ? options.KubernetesVersion
            : throw new ArgumentException($"KubernetesVersion \"{options.KubernetesVersion}\" is not a released version such as v1.32.4", nameof(options)),
        HeartbeatInterval = TimeSpan.FromSeconds(options.HeartbeatSeconds),
        NodeGracePeriod = TimeSpan.FromSeconds(options.NodeGraceSeconds),
        PodReadyDelay = TimeSpan.FromSeconds(options.PodReadySeconds),
        BookmarkInterval = TimeSpan.FromSeconds(60),
        ContinueTokenLifetime = TimeSpan.FromMinutes(5),
        NodeMonitorPeriod = TimeSpan.FromSeconds(Math.Min(5, Math.Max(0.2, options.NodeGraceSeconds / 4))),
    };
}
