using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Storage;

/// <summary>printers.go printPersistentVolumeClaim: capacity and access modes only once a volume is named.</summary>
public sealed class PersistentVolumeClaimTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
        new("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        new("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
        new("Access Modes", "string", "accessModes contains the desired access modes the volume should have. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1"),
        new("StorageClass", "string", "storageClassName is the name of the StorageClass required by the claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#class-1"),
        new("VolumeAttributesClass", "string", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
        TableColumn.AgeColumn,
        new("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject pvc, DateTimeOffset now)
    {
        var volume = pvc.StringAt("spec", "volumeName") ?? "";
        var bound = volume.Length > 0;
        return
        [
            pvc.Name(),
            pvc.At("metadata", "deletionTimestamp") is not null ? "Terminating" : pvc.StringAt("status", "phase") ?? "",
            volume,
            bound ? pvc.StringAt("status", "capacity", "storage") ?? "0" : "",
            bound ? StorageKinds.AccessModes(pvc.At("status", "accessModes")) : "",
            pvc.StringAt("spec", "storageClassName") ?? "",
            pvc.StringAt("spec", "volumeAttributesClassName") ?? "<unset>",
            HumanDuration.Since(pvc.StringAt("metadata", "creationTimestamp"), now),
            pvc.StringAt("spec", "volumeMode") ?? "<unset>",
        ];
    }
}
