using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>printers.go printPodDisruptionBudget: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE.</summary>
public sealed class PodDisruptionBudgetTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Min Available", "string", "The minimum number of pods that must be available."),
        new("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
        new("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject obj, DateTimeOffset now) =>
    [
        obj.Name(),
        Text(obj.At("spec", "minAvailable")),
        Text(obj.At("spec", "maxUnavailable")),
        obj.LongAt("status", "disruptionsAllowed") ?? 0,
        HumanDuration.Since(obj.StringAt("metadata", "creationTimestamp"), now),
    ];

    private static string Text(JsonNode? value) => value is null ? "N/A" : value.ToString();
}
