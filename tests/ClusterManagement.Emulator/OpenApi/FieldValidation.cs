using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.OpenApi;

/// <summary>
/// The API server's fieldValidation on create, update and patch: a body is decoded strictly against
/// its kind's schema. Unknown and duplicate fields fail the request under Strict, come back as
/// <c>Warning: 299</c> headers under Warn (the default), and pass silently under Ignore; either way
/// unknown fields are dropped, as decoding into the Go type drops them.
/// </summary>
public static class FieldValidation
{
    public const string Ignore = "Ignore";
    public const string Warn = "Warn";
    public const string Strict = "Strict";

    /// <summary>The body of a create or update (PUT), decoded as the API server decodes it.</summary>
    public static JsonObject ReadObject(ApiRequest request)
    {
        var obj = request.ReadObject();
        var directive = Directive(request, request.Verb == "create" ? "CreateOptions" : "UpdateOptions");
        // A protobuf body was decoded against typed messages: the API server checks unknown and
        // duplicate fields only in JSON and YAML, and the body here is not JSON at all.
        if (SchemaOf(request) is not { } schema || request.MediaType == ProtobufBody.MediaType)
        {
            return obj;
        }
        var problems = StrictDecodingProblems(schema, request.Body);
        if (problems.Count > 0 && directive == Strict)
        {
            var kind = obj.StringAt("kind") ?? request.Kind.Kind;
            var version = obj.StringAt("apiVersion")?.Split('/')[^1] ?? request.Kind.Version;
            throw Status.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {request.Kind.Kind}: {StrictDecodingError(problems)}");
        }
        Report(request, directive, problems);
        Prune(schema, obj);
        return obj;
    }

    /// <summary>
    /// Duplicate fields of a patch body, found before the patch is applied; as the API server does,
    /// a Strict request fails once the result is checked, with both lists in one message.
    /// </summary>
    public static IReadOnlyList<string> PatchBodyProblems(ApiRequest request)
    {
        Directive(request, "PatchOptions");
        return request.MediaType switch
        {
            PatchApplier.JsonPatchType => DuplicateFields(request.Body).Select(p => "json patch " + p).ToList(),
            PatchApplier.MergePatchType or PatchApplier.StrategicMergePatchType => DuplicateFields(request.Body),
            _ => [],
        };
    }

    /// <summary>Checks the patched object: Strict fails with the API server's 422 on the "patch" field, otherwise unknown fields are dropped.</summary>
    public static void CheckPatched(ApiRequest request, JsonObject patched, IReadOnlyList<string> bodyProblems)
    {
        var directive = Directive(request, "PatchOptions");
        if (SchemaOf(request) is not { } schema)
        {
            return;
        }
        // Strategic merge converts the patched map to the typed object (known fields in struct order, then the
        // level's unknown ones) and shows the patch as Go prints a map; the JSON patch kinds decode the patched
        // object as Go marshals a map, keys sorted, and show that.
        var strategic = request.MediaType == PatchApplier.StrategicMergePatchType;
        var sorted = strategic ? null : SortedKeys(patched);
        List<string> problems = directive == Ignore ? []
            : strategic ? [.. bodyProblems, .. ConversionProblems(schema, patched)]
            : [.. bodyProblems, .. StrictDecodingProblems(schema, Encoding.UTF8.GetBytes(sorted!.ToJsonString()))];
        if (problems.Count > 0 && directive == Strict)
        {
            var shown = strategic ? GoValue(ApiRequest.ParseJson(request.Body)) : sorted!.ToJsonString();
            var message = $"Invalid value: {GoQuote(shown)}: {StrictDecodingError(problems)}";
            throw new ApiException(422, "Invalid", $" \"\" is invalid: patch: {message}", new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = "patch" }),
            });
        }
        Report(request, directive, problems);
        Prune(schema, patched);
    }

    /// <summary>
    /// Server-side apply converts the applied configuration to its typed form before merging, whatever
    /// the directive, and fails on any field the schema does not declare, in structured-merge-diff's
    /// words (a 500 with no reason: the API server passes the converter's plain error through).
    /// </summary>
    public static void CheckApplied(ApiRequest request, JsonObject applied)
    {
        if (SchemaOf(request) is not { } schema)
        {
            return;
        }
        var problems = new List<string>();
        UndeclaredFields(schema, applied, "", problems);
        if (problems.Count == 0)
        {
            return;
        }
        var kind = request.Kind;
        var target = $"{applied.Namespace()}/{applied.Name()}; {kind.Group}/{kind.Version}, Kind={kind.Kind}";
        var errors = problems.Count == 1 ? problems[0] : string.Join("\n", ["errors:", .. problems.Select(p => "  " + p)]);
        throw new ApiException(500, "", $"failed to create typed patch object ({target}): {errors}");
    }

    private static void UndeclaredFields(SchemaType schema, JsonObject obj, string path, List<string> problems)
    {
        foreach (var (key, value) in obj)
        {
            if (schema.Field(key) is { } field)
            {
                UndeclaredIn(field.Type, field.MergeKey, value, $"{path}.{key}", problems);
            }
            else
            {
                problems.Add($"{path}.{key}: field not declared in schema");
            }
        }
    }

    /// <summary>Keyed list items are named by their key as structured-merge-diff names them: containers[name="web"].</summary>
    private static void UndeclaredIn(FieldType type, string? mergeKey, JsonNode? value, string path, List<string> problems)
    {
        switch (type, value)
        {
            case (FieldType.Named named, JsonObject obj):
                UndeclaredFields(SchemaCatalog.Default.Resolve(named), obj, path, problems);
                break;
            case (FieldType.MapOf map, JsonObject entries):
                foreach (var (key, entry) in entries)
                {
                    UndeclaredIn(map.Value, null, entry, $"{path}.{key}", problems);
                }
                break;
            case (FieldType.ListOf list, JsonArray items):
                for (var i = 0; i < items.Count; i++)
                {
                    var element = mergeKey is not null && items[i]?[mergeKey] is { } key ? $"[{mergeKey}={key.ToJsonString()}]" : $"[{i}]";
                    UndeclaredIn(list.Item, null, items[i], path + element, problems);
                }
                break;
        }
    }

    /// <summary>What runtime.DefaultUnstructuredConverter reports converting a map to the typed object: each level's declared fields first, then its unknown ones.</summary>
    private static List<string> ConversionProblems(SchemaType schema, JsonObject obj)
    {
        var problems = new List<string>();
        ConvertStructure(schema, obj, "", problems);
        return problems;
    }

    private static void ConvertStructure(SchemaType schema, JsonObject obj, string path, List<string> problems)
    {
        string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";
        foreach (var field in schema.Fields.Where(f => obj.ContainsKey(f.Name)))
        {
            ConvertValue(field.Type, obj[field.Name], PathOf(field.Name), problems);
        }
        problems.AddRange(obj.Select(p => p.Key).Where(k => schema.Field(k) is null).Order(StringComparer.Ordinal).Select(k => $"unknown field \"{PathOf(k)}\""));
    }

    private static void ConvertValue(FieldType type, JsonNode? value, string path, List<string> problems)
    {
        switch (type, value)
        {
            case (FieldType.Named named, JsonObject obj):
                ConvertStructure(SchemaCatalog.Default.Resolve(named), obj, path, problems);
                break;
            case (FieldType.MapOf map, JsonObject entries):
                foreach (var (key, entry) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    ConvertValue(map.Value, entry, $"{path}.{key}", problems);
                }
                break;
            case (FieldType.ListOf list, JsonArray items):
                for (var i = 0; i < items.Count; i++)
                {
                    ConvertValue(list.Item, items[i], $"{path}[{i}]", problems);
                }
                break;
        }
    }

    private static JsonNode? SortedKeys(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, SortedKeys(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(SortedKeys)]),
        _ => node?.DeepClone(),
    };

    /// <summary>Unknown and duplicate fields in document order, worded as sigs.k8s.io/json words them.</summary>
    public static IReadOnlyList<string> StrictDecodingProblems(SchemaType schema, ReadOnlySpan<byte> json)
    {
        var problems = new List<string>();
        var reader = new Utf8JsonReader(json);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            ReadStructure(ref reader, schema, "", problems);
        }
        return problems;
    }

    /// <summary>Drops what the kind does not declare, as decoding into the Go type does.</summary>
    public static void Prune(SchemaType schema, JsonObject obj)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (schema.Field(key) is not { } field)
            {
                obj.Remove(key);
            }
            else
            {
                PruneValue(field.Type, value);
            }
        }
    }

    private static void PruneValue(FieldType type, JsonNode? value)
    {
        switch (type, value)
        {
            case (FieldType.Named named, JsonObject obj):
                Prune(SchemaCatalog.Default.Resolve(named), obj);
                break;
            case (FieldType.ListOf list, JsonArray items):
                foreach (var item in items)
                {
                    PruneValue(list.Item, item);
                }
                break;
            case (FieldType.MapOf map, JsonObject entries):
                foreach (var (_, entry) in entries)
                {
                    PruneValue(map.Value, entry);
                }
                break;
        }
    }

    /// <summary>"" (the default: Warn), Ignore, Warn or Strict; anything else is the API server's 422 on the options.</summary>
    private static string Directive(ApiRequest request, string optionsKind)
    {
        var value = request.Query("fieldValidation") ?? "";
        if (value is "" or Ignore or Warn or Strict)
        {
            return value.Length == 0 ? Warn : value;
        }
        var message = $"Unsupported value: \"{value}\": supported values: \"\", \"{Ignore}\", \"{Strict}\", \"{Warn}\"";
        throw new ApiException(422, "Invalid", $"{optionsKind}.meta.k8s.io \"\" is invalid: fieldValidation: {message}", new JsonObject
        {
            ["group"] = "meta.k8s.io",
            ["kind"] = optionsKind,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueNotSupported", ["message"] = message, ["field"] = "fieldValidation" }),
        });
    }

    private static void Report(ApiRequest request, string directive, IReadOnlyList<string> problems)
    {
        if (directive != Warn)
        {
            return;
        }
        // The apiserver's warning recorder keeps each text once, so a patch retried after a concurrent write still warns once.
        foreach (var warning in problems.Select(p => $"299 - {GoQuote(p)}").Where(w => !request.Http.Response.Headers.Warning.Contains(w)))
        {
            request.Http.Response.Headers.Append("Warning", warning);
        }
    }

    private static SchemaType? SchemaOf(ApiRequest request) => SchemaCatalog.Default.ForKind(request.Kind.Group, request.Kind.Version, request.Kind.Kind);

    private static string StrictDecodingError(IEnumerable<string> problems) => "strict decoding error: " + string.Join(", ", problems);

    private static void ReadStructure(ref Utf8JsonReader reader, SchemaType schema, string path, List<string> problems)
    {
        var seen = new HashSet<string>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var fieldPath = path.Length == 0 ? key : $"{path}.{key}";
            reader.Read();
            if (schema.Field(key) is not { } field)
            {
                problems.Add($"unknown field \"{fieldPath}\"");
                reader.Skip();
                continue;
            }
            if (!seen.Add(key))
            {
                problems.Add($"duplicate field \"{fieldPath}\"");
            }
            ReadValue(ref reader, field.Type, fieldPath, problems);
        }
    }

    private static void ReadValue(ref Utf8JsonReader reader, FieldType type, string path, List<string> problems)
    {
        switch (reader.TokenType, type)
        {
            case (JsonTokenType.StartObject, FieldType.Named named):
                ReadStructure(ref reader, SchemaCatalog.Default.Resolve(named), path, problems);
                break;
            case (JsonTokenType.StartObject, FieldType.MapOf map):
                var seen = new HashSet<string>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    if (!seen.Add(key))
                    {
                        problems.Add($"duplicate field \"{path}.{key}\"");
                    }
                    reader.Read();
                    ReadValue(ref reader, map.Value, $"{path}.{key}", problems);
                }
                break;
            case (JsonTokenType.StartArray, FieldType.ListOf list):
                for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
                {
                    ReadValue(ref reader, list.Item, $"{path}[{i}]", problems);
                }
                break;
            default:
                reader.Skip();
                break;
        }
    }

    /// <summary>Duplicate keys anywhere in a free-form body (a patch), paths from the root.</summary>
    private static List<string> DuplicateFields(byte[] body)
    {
        var problems = new List<string>();
        var reader = new Utf8JsonReader(body);
        try
        {
            if (reader.Read())
            {
                ReadFree(ref reader, "", problems);
            }
        }
        catch (JsonException e)
        {
            throw Status.BadRequest($"error decoding patch: {e.Message}");
        }
        return problems;
    }

    private static void ReadFree(ref Utf8JsonReader reader, string path, List<string> problems)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var seen = new HashSet<string>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                var keyPath = path.Length == 0 ? key : $"{path}.{key}";
                if (!seen.Add(key))
                {
                    problems.Add($"duplicate field \"{keyPath}\"");
                }
                reader.Read();
                ReadFree(ref reader, keyPath, problems);
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                ReadFree(ref reader, $"{path}[{i}]", problems);
            }
        }
    }

    /// <summary>A value as Go's fmt prints a decoded map[string]interface{} with %v: map[a:1 b:[x y]], keys sorted.</summary>
    private static string GoValue(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject obj => "map[" + string.Join(" ", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{GoValue(p.Value)}")) + "]",
        JsonArray list => "[" + string.Join(" ", list.Select(GoValue)) + "]",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    /// <summary>strconv.Quote for the characters that occur here.</summary>
    private static string GoQuote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
