using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Selectors;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Api;

/// <summary>get and list, as JSON or as a server-side Table when the client negotiated one.</summary>
public static class ReadOperations
{
    public static ApiResult Get(ApiRequest request)
    {
        var stored = request.Services.Store.Find(request.Kind, request.Namespace, request.Name!) ?? throw Status.NotFound(request.Kind, request.Name!);
        var obj = stored.ToJson();
        if (TableRequestOf(request) is { } table)
        {
            var metadata = new JsonObject { ["resourceVersion"] = stored.ResourceVersion.ToString() };
            return new ApiResult(200, TableWriter.Build(request.Kind, [obj], table, metadata, request.Services.Time.GetUtcNow()));
        }
        return new ApiResult(200, obj);
    }

    /// <summary>
    /// Writes a JSON page itself: items are copied as stored UTF-8, so a 5,000-node list costs no
    /// re-serialization; returns null because the response is already written. A protobuf page is returned for encoding.
    /// </summary>
    /// <param name="from">Set when the request's kind is served from another kind's objects.</param>
    public static ApiResult? List(ApiRequest request, ConvertedKind? from = null)
    {
        var page = Page(request, from?.Stored ?? request.Kind);
        var metadata = new JsonObject { ["resourceVersion"] = page.ResourceVersion.ToString() };
        if (page.Continue is { } next)
        {
            metadata["continue"] = next;
            if (page.RemainingItemCount is { } remaining)
            {
                metadata["remainingItemCount"] = remaining;
            }
        }
        if (TableRequestOf(request) is { } table)
        {
            var objects = page.Items.Select(i => i.ToJson());
            return new ApiResult(200, TableWriter.Build(request.Kind, objects, table, metadata, request.Services.Time.GetUtcNow()));
        }
        if (from is null && Protobuf.ProtobufResponse.Negotiate(request.Http.Request, request.Kind))
        {
            // The caller encodes it; protobuf clients are few, so the list is built as a tree only for them.
            return new ApiResult(200, new JsonObject
            {
                ["kind"] = request.Kind.Kind + "List",
                ["apiVersion"] = request.Kind.GroupVersion,
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. page.Items.Select(i => (JsonNode)i.ToJson())]),
            });
        }
        WriteList(request, page.Items, metadata, from);
        return null;
    }

    public static TableRequest? TableRequestOf(ApiRequest request) =>
        TableRequest.From(request.Http.Request.Headers.Accept.ToString(), request.Query("includeObject"));

    private sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

    /// <summary>Selectors are read as the request's kind declares them; the objects come from <paramref name="stored"/>.</summary>
    private static ListPage Page(ApiRequest request, ResourceKind stored)
    {
        var labels = LabelSelector.Parse(request.Query("labelSelector"));
        var fields = FieldSelector.Parse(request.Query("fieldSelector"), request.Kind);
        var filtered = labels != LabelSelector.Everything || fields != FieldSelector.Everything;
        var limit = long.TryParse(request.Query("limit"), out var l) && l > 0 ? l : long.MaxValue;
        var token = ContinueToken.Decode(request.Query("continue"));
        var now = request.Services.Time.GetUtcNow();
        var store = request.Services.Store;
        var fromLatest = token is null || token.ResourceVersion == ContinueToken.Latest;
        var snapshot = fromLatest
            ? store.List(stored, request.Namespace)
            : now - token!.IssuedAt > request.Services.Settings.ContinueTokenLifetime
                ? null
                : store.ListAt(stored, request.Namespace, token.ResourceVersion);
        if (snapshot is null)
        {
            throw token!.Expired(now);
        }
        // Later pages read the first page's revision, so objects created or deleted meanwhile neither appear nor vanish.
        var listVersion = snapshot.ResourceVersion;
        var candidates = snapshot.Items.Where(o => token is null || string.CompareOrdinal(o.Key, token.StartAfter) > 0);
        if (filtered)
        {
            candidates = candidates.Where(o =>
            {
                var obj = o.ToJson();
                return labels.Matches(obj) && fields.Matches(obj);
            });
        }
        var items = new List<StoredObject>();
        foreach (var candidate in candidates)
        {
            if (items.Count == limit)
            {
                // Like the real server: the remaining count is only known (and given) without selectors.
                long? remaining = filtered ? null : snapshot.Items.Count(o => string.CompareOrdinal(o.Key, items[^1].Key) > 0);
                return new ListPage(items, listVersion, new ContinueToken(listVersion, items[^1].Key, fromLatest ? now : token!.IssuedAt).Encode(), remaining);
            }
            items.Add(candidate);
        }
        return new ListPage(items, listVersion, null, null);
    }

    private static void WriteList(ApiRequest request, IReadOnlyList<StoredObject> items, JsonObject metadata, ConvertedKind? from)
    {
        var response = request.Http.Response;
        response.StatusCode = 200;
        response.ContentType = JsonResponse.ContentType;
        // Synchronous writes to a pipe buffer; flushed when the request completes.
        using var writer = new Utf8JsonWriter(response.BodyWriter, JsonEncoding.Writer);
        writer.WriteStartObject();
        writer.WriteString("kind", request.Kind.Kind + "List");
        writer.WriteString("apiVersion", request.Kind.GroupVersion);
        writer.WritePropertyName("metadata");
        metadata.WriteTo(writer);
        writer.WriteStartArray("items");
        foreach (var item in items)
        {
            writer.WriteRawValue(from is null ? item.Utf8Json : from.Convert(item), skipInputValidation: true);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
