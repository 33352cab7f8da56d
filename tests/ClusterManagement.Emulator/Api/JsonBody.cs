using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// Request bodies read as Go's decoder reads them: a key given twice keeps its last value (JsonNode
/// would throw), so Warn and Ignore accept what Strict reports as a duplicate field.
/// </summary>
public static class JsonBody
{
    public static JsonNode? Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return Node(document.RootElement);
    }

    private static JsonNode? Node(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = Node(property.Value);
                }
                return obj;
            case JsonValueKind.Array:
                return new JsonArray([.. element.EnumerateArray().Select(Node)]);
            case JsonValueKind.Null:
                return null;
            default:
                return JsonNode.Parse(element.GetRawText());
        }
    }
}
