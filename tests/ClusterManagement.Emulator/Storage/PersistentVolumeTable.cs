using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Storage;

/// <summary>printers.go printPersistentVolume (1.32 columns, VOLUMEATTRIBUTESCLASS included).</summary>
public sealed class PersistentVolumeTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
        new("Access Modes", "string", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes"),
        new("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming"),
        new("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase"),
        new("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding"),
        new("StorageClass", "string", "storageClassName is the name of StorageClass to which this persistent volume belongs. Empty value means that this volume does not belong to any StorageClass."),
        new("VolumeAttributesClass", "string", "Name of VolumeAttributesClass to which this persistent volume belongs. Empty value is not allowed. When this field is not set, it indicates that this volume does not belong to any VolumeAttributesClass."),
        new("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        TableColumn.AgeColumn,
        new("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject pv, DateTimeOffset now)
    {
        var claim = pv.At("spec", "claimRef") is JsonObject claimRef ? $"{claimRef.StringAt("namespace")}/{claimRef.StringAt("name")}" : "";
        return
        [
            pv.Name(),
            pv.StringAt("spec", "capacity", "storage") ?? "0",
            StorageKinds.AccessModes(pv.At("spec", "accessModes")),
            pv.StringAt("spec", "persistentVolumeReclaimPolicy") ?? "",
            pv.At("metadata", "deletionTimestamp") is not null ? "Terminating" : pv.StringAt("status", "phase") ?? "",
            claim,
            pv.StringAt("spec", "storageClassName") ?? "",
            pv.StringAt("spec", "volumeAttributesClassName") ?? "<unset>",
            pv.StringAt("status", "reason") ?? "",
            HumanDuration.Since(pv.StringAt("metadata", "creationTimestamp"), now),
            pv.StringAt("spec", "volumeMode") ?? "<unset>",
        ];
    }
}
