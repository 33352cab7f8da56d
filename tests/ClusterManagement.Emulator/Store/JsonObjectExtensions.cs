using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Store;

/// <summary>Navigation over Kubernetes-shaped JSON, shared by every part that reads or edits objects.</summary>
public static class JsonObjectExtensions
{
    public static JsonObject Metadata(this JsonObject obj) => obj.ObjectAt("metadata");

    /// <summary>The child object under <paramref name="name"/>, created when missing or not an object.</summary>
    public static JsonObject ObjectAt(this JsonObject obj, string name)
    {
        if (obj[name] is JsonObject existing)
        {
            return existing;
        }
        var created = new JsonObject();
        obj[name] = created;
        return created;
    }

    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var segment in path)
        {
            node = node is JsonObject o ? o[segment] : null;
        }
        return node;
    }

    public static string? StringAt(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool BoolAt(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>Numbers parsed from JSON read as long; ones set in code may be held as int.</summary>
    public static long? LongAt(this JsonNode? node, params string[] path) =>
        node.At(path) is not JsonValue v ? null
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : null;

    public static IEnumerable<JsonObject> ObjectsAt(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray a ? a.OfType<JsonObject>() : [];

    public static string Name(this JsonObject obj) => obj.StringAt("metadata", "name") ?? "";

    public static string? Namespace(this JsonObject obj) => obj.StringAt("metadata", "namespace");

    public static JsonObject? Labels(this JsonObject obj) => obj.At("metadata", "labels") as JsonObject;

    /// <summary>The condition of <paramref name="type"/> in status.conditions (nodes, pods, deployments share the shape).</summary>
    public static JsonObject? Condition(this JsonObject obj, string type) =>
        obj.ObjectsAt("status", "conditions").FirstOrDefault(c => c.StringAt("type") == type);
}
