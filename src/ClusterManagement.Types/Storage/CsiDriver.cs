namespace ClusterManagement.Storage;

/// <summary>A registered CSI driver (CSIDriver object) and the storage classes that provision with it.</summary>
public sealed class CsiDriver
{
    public required string Name { get; init; }
    public required bool AttachRequired { get; init; }
    public required bool PodInfoOnMount { get; init; }

    /// <summary>ReadWriteOnceWithFSType, File or None.</summary>
    public string? FsGroupPolicy { get; init; }

    /// <summary>Volume lifecycle modes: Persistent, Ephemeral.</summary>
    public required string[] Modes { get; init; }

    public required string[] StorageClasses { get; init; }
    public required TimeSpan Age { get; init; }
    public required DateTime Created { get; init; }

    public override string ToString() => Name;
}
