using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tables;

/// <summary>printers.go printNamespace: NAME STATUS AGE.</summary>
public sealed class NamespaceTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Status", "string", "The status of the namespace"),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject obj, DateTimeOffset now) =>
        [obj.Name(), obj.StringAt("status", "phase") ?? "", HumanDuration.Since(obj.StringAt("metadata", "creationTimestamp"), now)];
}
