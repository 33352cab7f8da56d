using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Storage;

/// <summary>printers.go printCSIDriver.</summary>
public sealed class CsiDriverTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("AttachRequired", "boolean", "Indicates this CSI volume driver requires an attach operation (because it implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach detach controller should call the attach volume interface which checks the volumeattachment status and waits until the volume is attached before proceeding to mounting."),
        new("PodInfoOnMount", "boolean", "If set to true, podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations."),
        new("StorageCapacity", "boolean", "If set to true, storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information."),
        new("TokenRequests", "string", "TokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication."),
        new("RequiresRepublish", "boolean", "RequiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume."),
        new("Modes", "string", "Defines the supported volume lifecycle modes."),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject driver, DateTimeOffset now)
    {
        var spec = driver["spec"];
        var modes = string.Join(",", (spec.At("volumeLifecycleModes") as JsonArray ?? []).Select(m => m?.GetValue<string>()));
        var audiences = spec.ObjectsAt("tokenRequests").Select(t => t.StringAt("audience")).ToList();
        return
        [
            driver.Name(),
            spec.At("attachRequired") is JsonValue attach ? attach.GetValue<bool>() : true,
            spec.BoolAt("podInfoOnMount"),
            spec.BoolAt("storageCapacity"),
            spec.At("tokenRequests") is JsonArray ? string.Join(",", audiences) : "<unset>",
            spec.BoolAt("requiresRepublish"),
            modes.Length == 0 ? "<none>" : modes,
            HumanDuration.Since(driver.StringAt("metadata", "creationTimestamp"), now),
        ];
    }
}
