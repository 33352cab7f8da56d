namespace ClusterManagement.Storage;

/// <summary>A StorageClass: how claims of this class get their volumes.</summary>
public sealed class StorageClass
{
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
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required string[] MountOptions { get; init; }
    public required TimeSpan Age { get; init; }
    public required DateTime Created { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public string? ResourceVersion { get; init; }

    public override string ToString() => Name;
}
