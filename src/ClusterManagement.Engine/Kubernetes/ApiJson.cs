using System.Globalization;
using System.Text.Json;
using k8s;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Field reads for the list readers that take the API's JSON without KubernetesClient's typed deserialization
/// (whose first call in a process builds type information for the kind's whole model graph). Values in the forms
/// the API server writes are read here; any other form goes through KubernetesClient's own converters, so odd
/// input reads, or fails, as it does through the SDK model. An absent parent reads as absent, as in the SDK model.
/// </summary>
internal static class ApiJson
{
    /// <summary>The API server's time format (metav1.Time); anything else, fractions say, goes to the SDK's converter.</summary>
    private const string SecondsFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    /// <summary>An object property; null when absent or null (or its parent is), as the SDK model leaves it.</summary>
    public static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null
            ? child.ValueKind == JsonValueKind.Object ? child : throw new JsonException($"The API's '{name}' is {child.ValueKind}, not an object.")
            : null;

    public static IEnumerable<JsonElement> Array(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var array) && array.ValueKind != JsonValueKind.Null
            ? array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : throw new JsonException($"The API's '{name}' is {array.ValueKind}, not an array.")
            : [];

    public static string? Text(JsonElement? parent, string name) => parent is { } p && p.TryGetProperty(name, out var value) ? Text(value) : null;

    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => KubernetesJson.Deserialize<string>(value),
    };

    public static bool Flag(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => KubernetesJson.Deserialize<bool?>(value) == true,
        };

    public static int? Int32(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : KubernetesJson.Deserialize<int?>(value)
            : null;

    public static long? Int64(JsonElement? parent, string name) =>
        parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : KubernetesJson.Deserialize<long?>(value)
            : null;

    public static DateTime? Time(JsonElement? parent, string name)
    {
        if (parent is not { } p || !p.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            && DateTime.TryParseExact(value.GetString(), SecondsFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : KubernetesJson.Deserialize<DateTime?>(value);
    }

    /// <summary>A string map; a key given twice keeps its last value, as the SDK's dictionaries do.</summary>
    public static Dictionary<string, string>? Map(JsonElement? parent, string name, Func<JsonElement, string?> value)
    {
        if (Child(parent, name) is not { } obj)
        {
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in obj.EnumerateObject())
        {
            map[entry.Name] = value(entry.Value)!;
        }
        return map;
    }
}
