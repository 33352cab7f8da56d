using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.FieldManagement;

/// <summary>
/// One entry of metadata.managedFields. Entries are told apart as the API server's manager
/// identifier does: manager, operation and subresource, and for Update also the apiVersion (an
/// applier keeps its one entry whatever version it applies with).
/// </summary>
public sealed class ManagedFieldsEntry
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public required string Manager { get; init; }
    public required string Operation { get; init; }
    public required string ApiVersion { get; set; }
    public string? Subresource { get; init; }
    public string? Time { get; set; }
    public required FieldSet Fields { get; set; }

    public bool SameManagerAs(string manager, string operation, string apiVersion, string? subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource && (operation == Apply || ApiVersion == apiVersion);

    /// <summary>The manager as conflicts name it (printManager): <c>"kubectl-scale" with subresource "scale" using apps/v1</c>.</summary>
    public string Describe()
    {
        var text = $"\"{Manager}\"";
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource \"{Subresource}\"";
        }
        return Operation == Update ? $"{text} using {ApiVersion}" : text;
    }

    /// <summary>The identifier conflicts are sorted by: the entry's JSON without time and fields.</summary>
    public string Identifier => new JsonObject
    {
        ["manager"] = Manager,
        ["operation"] = Operation,
        ["apiVersion"] = Operation == Update ? ApiVersion : null,
        ["subresource"] = Subresource,
    }.ToJsonString();

    public static List<ManagedFieldsEntry> Decode(JsonObject? obj) =>
        [.. obj.ObjectsAt("metadata", "managedFields")
            .Where(e => !string.IsNullOrEmpty(e.StringAt("operation")))
            .Select(e => new ManagedFieldsEntry
            {
                Manager = e.StringAt("manager") ?? "",
                Operation = e.StringAt("operation")!,
                ApiVersion = e.StringAt("apiVersion") ?? "",
                Subresource = e.StringAt("subresource"),
                Time = e.StringAt("time"),
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject),
            })];

    /// <summary>Entries in the API server's order: Apply before Update, then by time, manager, apiVersion and subresource.</summary>
    public static JsonArray Encode(IEnumerable<ManagedFieldsEntry> entries) =>
        new([.. entries
            .Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => Timestamps.Parse(e.Time)?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)
            .Select(e => (JsonNode)e.ToJson())]);

    private JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            json["time"] = Time;
        }
        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = Fields.ToFieldsV1();
        if (!string.IsNullOrEmpty(Subresource))
        {
            json["subresource"] = Subresource;
        }
        return json;
    }
}
