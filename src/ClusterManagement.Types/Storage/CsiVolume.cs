using ClusterManagement.Connection;

namespace ClusterManagement.Storage;

/// <summary>A PersistentVolume, with its CSI source.</summary>
public sealed class CsiVolume : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Name { get; init; }

    /// <summary>As a quantity (2Gi).</summary>
    public required string Capacity { get; init; }

    public required ValueList<string> AccessModes { get; init; }

    /// <summary>Delete or Retain (Recycle on very old volumes).</summary>
    public required string ReclaimPolicy { get; init; }

    /// <summary>Pending, Available, Bound, Released, Failed, or Terminating.</summary>
    public required string Status { get; init; }

    /// <summary>namespace/name of the claim it is (or was) bound to.</summary>
    public string? Claim { get; init; }

    public string? StorageClass { get; init; }
    public string? Driver { get; init; }
    public string? VolumeHandle { get; init; }
    public string? FsType { get; init; }
    public required string VolumeMode { get; init; }
    public string? Reason { get; init; }
    public required ValueMap Attributes { get; init; }
    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }
    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }
    public string? ResourceVersion { get; init; }

    public override string ToString() => Name;
}
