using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Selectors;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Watch;

/// <summary>
/// A watch response: one JSON event per line (or one protobuf frame, for a client that negotiated it), flushed as it happens, until timeoutSeconds or the
/// client leaves. Events are filtered by namespace and selectors; an object that stops (or starts)
/// matching is reported as DELETED (or ADDED), as the apiserver's watch cache does.
/// </summary>
public static class WatchStreamer
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <param name="protobuf">The client negotiated protobuf: events go out as length-prefixed frames (a Table watch stays JSON).</param>
    /// <param name="from">Set when the request's kind is served from another kind's objects.</param>
    public static async Task StreamAsync(ApiRequest request, bool protobuf, CancellationToken requestAborted, ConvertedKind? from = null)
    {
        var storedKind = from?.Stored ?? request.Kind;
        using var open = request.Services.Watches.Open();
        var labels = LabelSelector.Parse(request.Query("labelSelector"));
        var fields = FieldSelector.Parse(request.Query("fieldSelector"), request.Kind);
        var table = ReadOperations.TableRequestOf(request);
        var bookmarks = request.Query("allowWatchBookmarks") is "true" or "1";
        var timeout = long.TryParse(request.Query("timeoutSeconds"), out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
        var since = long.TryParse(request.Query("resourceVersion"), out var rv) && rv > 0 ? rv : (long?)null;
        var store = request.Services.Store;

        var response = request.Http.Response;
        response.StatusCode = 200;
        var frames = protobuf && table is null ? KubeProtoSchema.Installed : null;
        response.ContentType = frames is null ? JsonResponse.ContentType : ProtobufBody.MediaType + ";stream=watch";
        var writer = new EventWriter(request, table, frames, from);

        IEnumerable<StoredObject> initial = [];
        WatchSubscription subscription;
        try
        {
            if (since is null)
            {
                // No resourceVersion: current state as ADDED events, then changes from that point.
                var snapshot = store.List(storedKind, request.Namespace);
                initial = snapshot.Items;
                subscription = store.Watch(storedKind, snapshot.ResourceVersion, forClient: true);
            }
            else
            {
                subscription = store.Watch(storedKind, since, forClient: true);
            }
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await writer.WriteErrorAsync(e, requestAborted);
            return;
        }

        using (subscription)
        using (var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, request.Services.Stopping))
        {
            timeoutSource.CancelAfter(timeout);
            var ct = timeoutSource.Token;
            try
            {
                foreach (var obj in initial)
                {
                    var json = obj.ToJson();
                    if (labels.Matches(json) && fields.Matches(json))
                    {
                        await writer.WriteAsync("ADDED", obj, json, ct);
                    }
                }
                await response.Body.FlushAsync(ct);
                await PumpAsync(subscription, request, labels, fields, bookmarks, writer, ct);
            }
            catch (OperationCanceledException)
            {
                // Timeout or client gone: the watch simply ends, as a real one does.
            }
        }
    }

    private static async Task PumpAsync(WatchSubscription subscription, ApiRequest request, LabelSelector labels, FieldSelector fields,
        bool bookmarks, EventWriter writer, CancellationToken ct)
    {
        var reader = subscription.Events;
        var lastSent = request.Services.Store.ResourceVersion;
        var pending = reader.WaitToReadAsync(ct).AsTask();
        while (true)
        {
            if (bookmarks)
            {
                var due = Task.Delay(request.Services.Settings.BookmarkInterval, ct);
                if (await Task.WhenAny(pending, due) == due)
                {
                    await due;
                    await writer.WriteBookmarkAsync(lastSent, ct);
                    continue;
                }
            }
            if (!await pending)
            {
                if (subscription.ConnectionDropped)
                {
                    request.Http.Abort();
                }
                return;
            }
            while (reader.TryRead(out var e))
            {
                lastSent = e.Object.ResourceVersion;
                if (e.Object.Namespace != request.Namespace && request.Namespace is not null)
                {
                    continue;
                }
                if (Translate(e, labels, fields) is { } translated)
                {
                    await writer.WriteAsync(translated.Type, translated.Object, translated.Json, ct);
                }
            }
            await request.Http.Response.Body.FlushAsync(ct);
            pending = reader.WaitToReadAsync(ct).AsTask();
        }
    }

    private static (string Type, StoredObject Object, JsonObject Json)? Translate(WatchEvent e, LabelSelector labels, FieldSelector fields)
    {
        var json = e.Object.ToJson();
        var matches = labels.Matches(json) && fields.Matches(json);
        if (labels == LabelSelector.Everything && fields == FieldSelector.Everything)
        {
            return (e.WireType, e.Object, json);
        }
        var previous = e.Previous?.ToJson();
        var matchedBefore = previous is not null && labels.Matches(previous) && fields.Matches(previous);
        return (e.Type, matchedBefore, matches) switch
        {
            (WatchEventType.Deleted, true, _) => ("DELETED", e.Object, json),
            (WatchEventType.Deleted, false, _) => null,
            (_, true, true) => ("MODIFIED", e.Object, json),
            (_, true, false) => ("DELETED", e.Object, json),
            (_, false, true) => ("ADDED", e.Object, json),
            _ => null,
        };
    }

    /// <summary>Frames events as JSON lines, or protobuf frames with a schema; with a Table watch only the first event carries column definitions.</summary>
    private sealed class EventWriter(ApiRequest request, TableRequest? table, KubeProtoSchema? protobuf, ConvertedKind? from)
    {
        private bool _columnsSent;

        public async Task WriteAsync(string type, StoredObject stored, JsonObject json, CancellationToken ct)
        {
            if (protobuf is not null)
            {
                await request.Http.Response.Body.WriteAsync(ProtobufResponse.WatchFrame(protobuf, type, json), ct);
                return;
            }
            if (table is null)
            {
                await WriteLineAsync(type, w => w.WriteRawValue(from is null ? stored.Utf8Json : from.Convert(stored), skipInputValidation: true), ct);
                return;
            }
            var metadata = new JsonObject { ["resourceVersion"] = stored.ResourceVersion.ToString() };
            var rows = TableWriter.Build(request.Kind, [json], table, metadata, request.Services.Time.GetUtcNow(), includeColumns: !_columnsSent);
            _columnsSent = true;
            await WriteLineAsync(type, w => rows.WriteTo(w), ct);
        }

        public Task WriteBookmarkAsync(long resourceVersion, CancellationToken ct)
        {
            var bookmark = new JsonObject
            {
                ["kind"] = request.Kind.Kind,
                ["apiVersion"] = request.Kind.GroupVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString() },
            };
            return WriteAndFlushAsync("BOOKMARK", bookmark, ct);
        }

        public Task WriteErrorAsync(ApiException error, CancellationToken ct) => WriteAndFlushAsync("ERROR", error.ToStatus(), ct);

        private async Task WriteAndFlushAsync(string type, JsonObject obj, CancellationToken ct)
        {
            if (protobuf is not null)
            {
                await request.Http.Response.Body.WriteAsync(ProtobufResponse.WatchFrame(protobuf, type, obj), ct);
            }
            else
            {
                await WriteLineAsync(type, w => obj.WriteTo(w), ct);
            }
            await request.Http.Response.Body.FlushAsync(ct);
        }

        private async Task WriteLineAsync(string type, Action<Utf8JsonWriter> writeObject, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, JsonEncoding.Writer))
            {
                writer.WriteStartObject();
                writer.WriteString("type", type);
                writer.WritePropertyName("object");
                writeObject(writer);
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            await request.Http.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
        }
    }
}
