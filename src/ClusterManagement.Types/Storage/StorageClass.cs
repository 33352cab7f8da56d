using ClusterManagement.Connection;

namespace ClusterManagement.Storage;

/// <summary>A StorageClass: how claims of this class get their volumes.</summary>
public sealed class StorageClass : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Name { get; init; }
    public required string Provisioner { get; init; }

    /// <summary>Delete or Retain: what happens to a volume of this class when its claim is removed.</summary>
    public required string ReclaimPolicy { get; init; }

    /// <summary>Immediate or WaitForFirstConsumer.</summary>
    public required string VolumeBindingMode { get; init; }

    public required bool AllowVolumeExpansion { get; init; }

    /// <summary>True when the class carries storageclass.kubernetes.io/is-default-class=true.</summary>
    public required bool IsDefault { get; init; }

    /// <summary>The provisioner's parameters; immutable once the class exists.</summary>
    public required ValueMap Parameters { get; init; }

    public required ValueList<string> MountOptions { get; init; }
    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }
    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }
    public required ValueMap Labels { get; init; }
    public string? ResourceVersion { get; init; }

    public override string ToString() => Name;
}
