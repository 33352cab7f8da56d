using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>printers.go printLease: NAME HOLDER AGE.</summary>
public sealed class LeaseTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Holder", "string", "holderIdentity contains the identity of the holder of a current lease."),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject obj, DateTimeOffset now) =>
    [
        obj.Name(),
        obj.StringAt("spec", "holderIdentity") ?? "",
        HumanDuration.Since(obj.StringAt("metadata", "creationTimestamp"), now),
    ];
}
