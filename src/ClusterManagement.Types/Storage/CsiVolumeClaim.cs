using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Storage;

/// <summary>
/// A PersistentVolumeClaim with what an administrator asks about it: is it bound, to which volume,
/// how big, through which driver, and what happens to the volume when the claim goes.
/// </summary>
public sealed class CsiVolumeClaim : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

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

    public required ValueList<string> AccessModes { get; init; }
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

    public required ValueList<ClaimCondition> Conditions { get; init; }
    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }
    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }
    public required ValueMap Labels { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }

    /// <summary>Why New-CsiVolumeClaim -Wait stopped waiting before the claim was Bound; null otherwise.</summary>
    public Diagnosis? Diagnosis { get; set; }

    public override string ToString() => $"{Namespace}/{Name}";
}
