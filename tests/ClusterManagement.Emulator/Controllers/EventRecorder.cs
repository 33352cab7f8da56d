using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>Who reports an event: the component and, for a kubelet, its node; the part of the object (`spec.containers{web}`).</summary>
public sealed record EventSource(string Component, string? Host = null, string? FieldPath = null);

/// <summary>
/// Events as the two real recorders write them for the components the emulator plays, so `kubectl
/// get events` and the Events section of `kubectl describe` show what a cluster shows. Names are
/// `&lt;object&gt;.&lt;hex nanoseconds&gt;`; cluster-scoped objects get their events in `default`.
/// <list type="bullet">
/// <item>client-go's record.EventRecorder (kubelet, controller-manager): core/v1 with source,
/// firstTimestamp/lastTimestamp and count; the EventCorrelator's dedup key (source, object, type,
/// reason, message) turns a repeat into count+1 and a new lastTimestamp on the same object.</item>
/// <item>client-go's tools/events recorder (kube-scheduler), which writes events.k8s.io/v1: read as
/// core/v1 it has eventTime, reportingController/reportingInstance and action, no source, timestamps
/// or count; a repeat becomes series {count, lastObservedTime}.</item>
/// </list>
/// The similar-event aggregation ("(combined from similar events)") is not emulated.
/// </summary>
public static class EventRecorder
{
    /// <summary>The correlator's LRU holds 4096 keys; forgetting them all at once is as lenient as forgetting the oldest.</summary>
    private const int RecentCapacity = 4096;

    private static readonly ConditionalWeakTable<ObjectStore, Dictionary<string, string>> Recent = [];

    public static void Normal(this EmulatorContext context, JsonObject involved, string reason, string message, string component) =>
        context.Record(involved, "Normal", reason, message, new EventSource(component));

    public static void Warning(this EmulatorContext context, JsonObject involved, string reason, string message, string component) =>
        context.Record(involved, "Warning", reason, message, new EventSource(component));

    public static void Record(this EmulatorContext context, JsonObject involved, string type, string reason, string message, EventSource source)
    {
        var now = context.Time.GetUtcNow();
        var key = string.Join('\u0000', source.Component, source.Host, source.FieldPath, involved.StringAt("metadata", "uid"), type, reason, message);
        if (Repeat(context, involved, key, e =>
        {
            e["count"] = (e.LongAt("count") ?? 1) + 1;
            e["lastTimestamp"] = Timestamps.Format(now);
        }))
        {
            return;
        }
        var ev = NewEvent(context, involved, type, reason, message, source.FieldPath, now);
        ev["source"] = source.Host is null ? new JsonObject { ["component"] = source.Component } : new JsonObject { ["component"] = source.Component, ["host"] = source.Host };
        ev["firstTimestamp"] = Timestamps.Format(now);
        ev["lastTimestamp"] = Timestamps.Format(now);
        ev["count"] = 1;
        ev["reportingComponent"] = source.Component;
        ev["reportingInstance"] = source.Host ?? "";
        Remember(context, key, context.Store.Create(CoreKinds.Events, ev));
    }

    /// <summary>An event as events.k8s.io/v1 EventRecorder.Eventf writes it (regarding, note, action).</summary>
    public static void RecordSeries(this EmulatorContext context, JsonObject involved, string type, string reason, string action, string message, string controller, string instance)
    {
        var now = context.Time.GetUtcNow();
        var key = string.Join('\u0000', controller, instance, action, involved.StringAt("metadata", "uid"), type, reason, message);
        if (Repeat(context, involved, key, e =>
        {
            e["series"] = new JsonObject
            {
                ["count"] = (e.LongAt("series", "count") ?? 1) + 1,
                ["lastObservedTime"] = Timestamps.FormatMicro(now),
            };
        }))
        {
            return;
        }
        var ev = NewEvent(context, involved, type, reason, message, null, now);
        ev["eventTime"] = Timestamps.FormatMicro(now);
        ev["action"] = action;
        ev["reportingComponent"] = controller;
        ev["reportingInstance"] = instance;
        ev["source"] = new JsonObject();
        ev["firstTimestamp"] = null;
        ev["lastTimestamp"] = null;
        Remember(context, key, context.Store.Create(CoreKinds.Events, ev));
    }

    private static bool Repeat(EmulatorContext context, JsonObject involved, string key, Action<JsonObject> count)
    {
        string? name;
        lock (Recent)
        {
            if (!Recent.GetOrCreateValue(context.Store).TryGetValue(key, out name))
            {
                return false;
            }
        }
        try
        {
            context.Store.Mutate(CoreKinds.Events, involved.Namespace() ?? "default", name, e =>
            {
                count(e);
                return true;
            });
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted by a client (or with its namespace): the next one starts a new event, as the correlator's patch fails over to a create.
            return false;
        }
    }

    private static void Remember(EmulatorContext context, string key, JsonObject created)
    {
        lock (Recent)
        {
            var recent = Recent.GetOrCreateValue(context.Store);
            if (recent.Count >= RecentCapacity)
            {
                recent.Clear();
            }
            recent[key] = created.Name();
        }
    }

    private static JsonObject NewEvent(EmulatorContext context, JsonObject involved, string type, string reason, string message, string? fieldPath, DateTimeOffset now)
    {
        var ns = involved.Namespace() ?? "default";
        var nanoseconds = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        while (context.Store.Get(CoreKinds.Events, ns, $"{involved.Name()}.{nanoseconds:x}") is not null)
        {
            // Two events within one tick (or a frozen test clock): the recorder's clock has nanoseconds to spare.
            nanoseconds++;
        }
        var reference = new JsonObject
        {
            ["apiVersion"] = involved.StringAt("apiVersion"),
            ["kind"] = involved.StringAt("kind"),
            ["namespace"] = involved.Namespace(),
            ["name"] = involved.Name(),
            ["uid"] = involved.StringAt("metadata", "uid"),
            ["resourceVersion"] = involved.StringAt("metadata", "resourceVersion"),
        };
        if (fieldPath is not null)
        {
            reference["fieldPath"] = fieldPath;
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{involved.Name()}.{nanoseconds:x}", ["namespace"] = ns },
            ["involvedObject"] = reference,
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
        };
    }
}
