namespace ClusterManagement.Storage;

/// <summary>
/// A PersistentVolumeClaim with what an administrator asks about it: is it bound, to which volume,
/// how big, through which driver, and what happens to the volume when the claim goes.
/// </summary>
public sealed class CsiVolumeClaim
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <summary>Pending, Bound, Lost, or Terminating while deletion waits for pods.</summary>
    public required string Status { get; init; }

    /// <summary>The bound PersistentVolume; null while pending.</summary>
    public string? Volume { get; init; }

    /// <summary>The size the volume has, as a quantity (2Gi); null while pending.</summary>
    public string? Capacity { get; init; }

    /// <summary>The size asked for, as a quantity.</summary>
    public required string RequestedSize { get; init; }

    public required string[] AccessModes { get; init; }
    public string? StorageClass { get; init; }

    /// <summary>The CSI driver that provisions or serves the volume.</summary>
    public string? Driver { get; init; }

    /// <summary>The bound volume's reclaim policy, or the class's while pending: Delete or Retain.</summary>
    public string? ReclaimPolicy { get; init; }

    public required string VolumeMode { get; init; }

    /// <summary>Where an expansion stands: ControllerResizeInProgress, NodeResizePending...; null when none is under way.</summary>
    public string? ResizeStatus { get; init; }

    /// <summary>The node chosen for a WaitForFirstConsumer claim.</summary>
    public string? SelectedNode { get; init; }

    public required ClaimCondition[] Conditions { get; init; }
    public required TimeSpan Age { get; init; }
    public required DateTime Created { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}
