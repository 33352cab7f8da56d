using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Events;

/// <summary>
/// pkg/apis/events/v1/conversion.go from the stored core/v1 Event to its events.k8s.io/v1 form: regarding is
/// involvedObject, note the message, reportingController the reportingComponent, and the old source, timestamps
/// and count become the deprecated* fields. Fields come in the Go struct's order with its omitempty rules (the
/// structs regarding and deprecatedSource are always written, zero times as null).
/// </summary>
public static class EventConversion
{
    // A stored version never changes, so its converted bytes are made once however many lists and watches read it.
    private static readonly ConditionalWeakTable<StoredObject, byte[]> Converted = [];

    public static byte[] ToEventsV1(StoredObject stored) =>
        Converted.GetValue(stored, static s => JsonSerializer.SerializeToUtf8Bytes(ToEventsV1(s.ToJson()), JsonEncoding.Serializer));

    public static JsonObject ToEventsV1(JsonObject core)
    {
        var v1 = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "events.k8s.io/v1",
            ["metadata"] = core["metadata"]?.DeepClone(),
            ["eventTime"] = core["eventTime"]?.DeepClone(),
        };
        CopyIfSet(core, "series", v1, "series");
        CopyIfSet(core, "reportingComponent", v1, "reportingController");
        CopyIfSet(core, "reportingInstance", v1, "reportingInstance");
        CopyIfSet(core, "action", v1, "action");
        CopyIfSet(core, "reason", v1, "reason");
        v1["regarding"] = core["involvedObject"]?.DeepClone() ?? new JsonObject();
        CopyIfSet(core, "related", v1, "related");
        CopyIfSet(core, "message", v1, "note");
        CopyIfSet(core, "type", v1, "type");
        v1["deprecatedSource"] = core["source"]?.DeepClone() ?? new JsonObject();
        v1["deprecatedFirstTimestamp"] = core["firstTimestamp"]?.DeepClone();
        v1["deprecatedLastTimestamp"] = core["lastTimestamp"]?.DeepClone();
        if (core.LongAt("count") is { } count and not 0)
        {
            v1["deprecatedCount"] = count;
        }
        return v1;
    }

    private static void CopyIfSet(JsonObject from, string field, JsonObject to, string asField)
    {
        var value = from[field];
        if (value is null || value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0)
        {
            return;
        }
        to[asField] = value.DeepClone();
    }
}
