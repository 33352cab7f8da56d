namespace ClusterManagement.Storage;

/// <summary>A PersistentVolume, with its CSI source.</summary>
public sealed class CsiVolume
{
    public required string Name { get; init; }

    /// <summary>As a quantity (2Gi).</summary>
    public required string Capacity { get; init; }

    public required string[] AccessModes { get; init; }

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
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    public required TimeSpan Age { get; init; }
    public required DateTime Created { get; init; }
    public string? ResourceVersion { get; init; }

    public override string ToString() => Name;
}
