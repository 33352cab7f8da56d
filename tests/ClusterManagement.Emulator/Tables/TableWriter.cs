using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tables;

/// <summary>Builds meta.k8s.io/v1 Table bodies; rows carry PartialObjectMetadata so kubectl can show namespaces and labels.</summary>
public static class TableWriter
{
    public static JsonObject Build(ResourceKind kind, IEnumerable<JsonObject> objects, TableRequest request, JsonObject listMetadata,
        DateTimeOffset now, bool includeColumns = true)
    {
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = listMetadata,
        };
        table["columnDefinitions"] = includeColumns
            ? new JsonArray(kind.Table.Columns.Select(c => (JsonNode)c.ToJson()).ToArray())
            : new JsonArray();
        table["rows"] = new JsonArray(objects.Select(o => (JsonNode)Row(kind, o, request, now)).ToArray());
        return table;
    }

    private static JsonObject Row(ResourceKind kind, JsonObject obj, TableRequest request, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = kind.Table.Cells(obj, now) };
        row["object"] = request.Include switch
        {
            IncludeObject.Object => obj,
            IncludeObject.Metadata => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj["metadata"]?.DeepClone(),
            },
            _ => null,
        };
        return row;
    }
}
