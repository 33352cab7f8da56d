using ClusterManagement.Connection;

namespace ClusterManagement.Storage;

/// <summary>A registered CSI driver (CSIDriver object) and the storage classes that provision with it.</summary>
public sealed class CsiDriver : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Name { get; init; }
    public required bool AttachRequired { get; init; }
    public required bool PodInfoOnMount { get; init; }

    /// <summary>ReadWriteOnceWithFSType, File or None.</summary>
    public string? FsGroupPolicy { get; init; }

    /// <summary>Volume lifecycle modes: Persistent, Ephemeral.</summary>
    public required ValueList<string> Modes { get; init; }

    public required ValueList<string> StorageClasses { get; init; }
    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }
    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }

    public override string ToString() => Name;
}
