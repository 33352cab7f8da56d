using ClusterManagement.Nodes;
namespace ClusterManagement.Engine.Nodes;

/// <summary>kubectl drain's flags, with its defaults.</summary>
internal sealed record DrainOptions
{
    /// <summary>--ignore-daemonsets: leave DaemonSet-managed pods running instead of refusing.</summary>
    public bool IgnoreDaemonSets { get; init; }

    /// <summary>--delete-emptydir-data: evict pods with emptyDir volumes, losing that data.</summary>
    public bool DeleteEmptyDirData { get; init; }

    /// <summary>kubectl's --force: also evict pods that no controller will recreate, and pods of a DaemonSet that no longer exists.</summary>
    public bool DeleteUnmanagedPods { get; init; }

    /// <summary>--grace-period: seconds each pod gets to terminate; null uses the pod's own.</summary>
    public long? GracePeriodSeconds { get; init; }

    /// <summary>--timeout, for the whole drain; null waits for ever.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>--disable-eviction: DELETE pods, bypassing PodDisruptionBudgets.</summary>
    public bool DisableEviction { get; init; }

    /// <summary>kubectl's pause between tries of an eviction the server refused with 429.</summary>
    public TimeSpan EvictionRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}
