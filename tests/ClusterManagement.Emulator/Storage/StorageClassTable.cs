using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Storage;

/// <summary>printers.go printStorageClass: "(default)" after the default class's name, unset fields as their defaults.</summary>
public sealed class StorageClassTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Provisioner", "string", "Indicates the type of the provisioner."),
        new("ReclaimPolicy", "string", "Indicates the type of the reclaim policy."),
        new("VolumeBindingMode", "string", "Indicates how PersistentVolumeClaims should be provisioned and bound."),
        new("AllowVolumeExpansion", "string", "Indicates whether the storage class allow volume expand."),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject sc, DateTimeOffset now) =>
    [
        IsDefault(sc) ? sc.Name() + " (default)" : sc.Name(),
        sc.StringAt("provisioner") ?? "",
        sc.StringAt("reclaimPolicy") ?? "Delete",
        sc.StringAt("volumeBindingMode") ?? "Immediate",
        sc.BoolAt("allowVolumeExpansion"),
        HumanDuration.Since(sc.StringAt("metadata", "creationTimestamp"), now),
    ];

    public static bool IsDefault(JsonObject sc) =>
        sc.StringAt("metadata", "annotations", StorageKinds.DefaultClassAnnotation) == "true"
        || sc.StringAt("metadata", "annotations", "storageclass.beta.kubernetes.io/is-default-class") == "true";
}
