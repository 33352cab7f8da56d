using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tables;

/// <summary>NAME and AGE, for kinds that register no printer of their own.</summary>
public sealed class GenericTable : ITableConverter
{
    public static GenericTable Instance { get; } = new();

    public IReadOnlyList<TableColumn> Columns { get; } = [TableColumn.NameColumn, TableColumn.AgeColumn];

    public JsonArray Cells(JsonObject obj, DateTimeOffset now) =>
        [obj.Name(), HumanDuration.Since(obj.StringAt("metadata", "creationTimestamp"), now)];
}
