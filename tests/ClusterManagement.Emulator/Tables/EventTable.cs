using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tables;

/// <summary>
/// printers.go printEvent (1.32): LAST SEEN TYPE REASON OBJECT MESSAGE, and with -o wide also
/// SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME. OBJECT is the lower-cased kind/name; the last-seen
/// time falls back to the first, and a singleton event counts 1; an events.k8s.io series gives both
/// the last-seen time and the count.
/// </summary>
public sealed class EventTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "string", "The object that this event is about."),
        new("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", Priority: 1),
        new("Source", "string", "The component reporting this event. Should be a short machine understandable string.", Priority: 1),
        new("Message", "string", "A human-readable description of the status of this operation."),
        new("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", Priority: 1),
        new("Count", "string", "The number of times this event has occurred.", Priority: 1),
        new("Name", "string", TableColumn.NameColumn.Description, Priority: 1, Format: "name"),
    ];

    public JsonArray Cells(JsonObject obj, DateTimeOffset now)
    {
        var first = HumanDuration.Since(obj.StringAt("firstTimestamp") ?? obj.StringAt("eventTime"), now);
        var last = obj.StringAt("series", "lastObservedTime") is { } observed ? HumanDuration.Since(observed, now)
            : obj.StringAt("lastTimestamp") is { } lastTimestamp ? HumanDuration.Since(lastTimestamp, now) : first;
        var kind = (obj.StringAt("involvedObject", "kind") ?? "").ToLowerInvariant();
        var name = obj.StringAt("involvedObject", "name");
        var component = FirstNonEmpty(obj.StringAt("source", "component"), obj.StringAt("reportingComponent"));
        var instance = FirstNonEmpty(obj.StringAt("source", "host"), obj.StringAt("reportingInstance"));
        return
        [
            last,
            obj.StringAt("type") ?? "",
            obj.StringAt("reason") ?? "",
            string.IsNullOrEmpty(name) ? kind : $"{kind}/{name}",
            obj.StringAt("involvedObject", "fieldPath") ?? "",
            instance.Length == 0 ? component : $"{component}, {instance}",
            (obj.StringAt("message") ?? "").Trim(),
            first,
            obj.LongAt("series", "count") ?? (obj.LongAt("count") is { } count and not 0 ? count : 1),
            obj.Name(),
        ];
    }

    private static string FirstNonEmpty(string? first, string? second) =>
        !string.IsNullOrEmpty(first) ? first : second ?? "";
}
