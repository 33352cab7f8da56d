using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Patching;

/// <summary>RFC 6902 JSON Patch with RFC 6901 pointers. A failed <c>test</c> rejects the whole patch (422).</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        foreach (var operation in operations.Select(o => o as JsonObject ?? throw Status.BadRequest("json patch operations must be objects")))
        {
            var op = operation.StringAt("op") ?? throw Status.BadRequest("json patch operation has no \"op\"");
            var path = operation.StringAt("path") ?? throw Status.BadRequest($"json patch operation \"{op}\" has no \"path\"");
            switch (op)
            {
                case "add":
                    document = Add(document, path, Value(operation, op));
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    document = Add(document, path, Value(operation, op));
                    break;
                case "move":
                    var moved = Get(document, From(operation, op));
                    Remove(document, From(operation, op));
                    document = Add(document, path, moved);
                    break;
                case "copy":
                    document = Add(document, path, Get(document, From(operation, op))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), Value(operation, op)))
                    {
                        throw Unprocessable($"testing value {path} failed: test failed");
                    }
                    break;
                default:
                    throw Status.BadRequest($"json patch operation \"{op}\" is not supported");
            }
        }
        return document;
    }

    private static JsonNode? Value(JsonNode operation, string op) =>
        operation is JsonObject o && o.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw Status.BadRequest($"json patch operation \"{op}\" has no \"value\"");

    private static string From(JsonNode operation, string op) =>
        operation.StringAt("from") ?? throw Status.BadRequest($"json patch operation \"{op}\" has no \"from\"");

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw Status.BadRequest($"json patch path \"{pointer}\" must start with /");
        }
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode? Get(JsonNode document, string pointer)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Unprocessable($"doc is missing path: \"{pointer}\""),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            throw Status.BadRequest("json patch cannot address the document root here");
        }
        var parentPointer = string.Concat(tokens[..^1].Select(t => "/" + t.Replace("~", "~0").Replace("/", "~1")));
        return (Get(document, parentPointer) ?? throw Unprocessable($"doc is missing path: \"{pointer}\""), tokens[^1]);
    }

    private static JsonNode Add(JsonNode document, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            return value ?? throw Status.BadRequest("json patch cannot replace the document with null");
        }
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Unprocessable($"doc is missing path: \"{pointer}\"");
        }
        return document;
    }

    private static void Remove(JsonNode document, string pointer)
    {
        var (parent, last) = Parent(document, pointer);
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw Unprocessable($"doc is missing path: \"{pointer}\"");
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }

    private static ApiException Unprocessable(string message) => new(422, "Invalid", message);
}
