using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// The dryRun option of a write, read and checked where the apiserver's handlers do it: the query for
/// create, update and patch; the DeleteOptions body of a DELETE when it has one, else the query; for an
/// eviction the query and the Eviction's deleteOptions (propagateDryRun). "All" is the only value
/// ValidateDryRun accepts; anything else is a 422 about the options object, before the write is tried.
/// </summary>
public static class DryRunOption
{
    private const string All = "All";

    public static bool IsRequested(ApiRequest request)
    {
        var (values, optionsKind) = request.Verb switch
        {
            "create" => (QueryValues(request), "CreateOptions"),
            "update" => (QueryValues(request), "UpdateOptions"),
            "patch" => (QueryValues(request), "PatchOptions"),
            "delete" or "deletecollection" => (DeleteValues(request), "DeleteOptions"),
            _ => ([], ""),
        };
        Validate(values, $"{optionsKind}.meta.k8s.io", optionsKind);
        if (request.Subresource == "eviction")
        {
            values = EvictionValues(request, values);
        }
        return values.Count > 0;
    }

    private static List<string> QueryValues(ApiRequest request) =>
        [.. request.Http.Request.Query["dryRun"].OfType<string>()];

    /// <summary>A DELETE with a body takes every option from the body, as the apiserver decodes one or the other.</summary>
    private static List<string> DeleteValues(ApiRequest request) =>
        request.Body.Length > 0 && ApiRequest.ParseJson(request.Body) is JsonObject body ? ValuesOf(body) : QueryValues(request);

    /// <summary>propagateDryRun: the Eviction's own deleteOptions.dryRun counts too, and must agree with the query's.</summary>
    private static List<string> EvictionValues(ApiRequest request, List<string> query)
    {
        if (request.Body.Length == 0 || ApiRequest.ParseJson(request.Body) is not JsonObject eviction || eviction["deleteOptions"] is not JsonObject options)
        {
            return query;
        }
        var content = ValuesOf(options);
        if (content.Count == 0)
        {
            return query;
        }
        if (query.Count > 0 && !query.SequenceEqual(content))
        {
            throw new ApiException(500, "", $"Non-matching dry-run options in request and content: [{string.Join(' ', query)}] and [{string.Join(' ', content)}]");
        }
        // rest.BeforeDelete validates these options with no kind of its own.
        Validate(content, "", "");
        return content;
    }

    private static List<string> ValuesOf(JsonObject options) =>
        options["dryRun"] switch
        {
            null => [],
            JsonArray values when values.All(v => v is JsonValue value && value.TryGetValue<string>(out _)) => [.. values.Select(v => v!.GetValue<string>())],
            _ => throw Status.BadRequest("json: cannot unmarshal into Go struct field DeleteOptions.dryRun of type []string"),
        };

    private static void Validate(List<string> values, string qualifiedKind, string kind)
    {
        if (values.All(v => v == All))
        {
            return;
        }
        var quoted = string.Join(", ", values.Select(v => $"\"{v.Replace("\\", "\\\\").Replace("\"", "\\\"")}\""));
        var message = $"Unsupported value: []string{{{quoted}}}: supported values: \"{All}\"";
        var details = new JsonObject();
        if (kind.Length > 0)
        {
            details["group"] = "meta.k8s.io";
            details["kind"] = kind;
        }
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueNotSupported", ["message"] = message, ["field"] = "dryRun" });
        throw new ApiException(422, "Invalid", $"{qualifiedKind} \"\" is invalid: dryRun: {message}", details);
    }
}
