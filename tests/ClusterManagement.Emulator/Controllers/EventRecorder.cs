using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// core/v1 Events as client-go's record.EventRecorder writes them for the controllers the emulator
/// plays, so `kubectl get events` and the Events section of `kubectl describe` show what a
/// cluster shows. Names are `&lt;object&gt;.&lt;hex nanoseconds&gt;` as the recorder makes them;
/// cluster-scoped objects get their events in `default`.
/// </summary>
public static class EventRecorder
{
    public static void Normal(this EmulatorContext context, JsonObject involved, string reason, string message, string component) =>
        Record(context, involved, "Normal", reason, message, component);

    public static void Warning(this EmulatorContext context, JsonObject involved, string reason, string message, string component) =>
        Record(context, involved, "Warning", reason, message, component);

    private static void Record(EmulatorContext context, JsonObject involved, string type, string reason, string message, string component)
    {
        var now = context.Time.GetUtcNow();
        var ns = involved.Namespace() ?? "default";
        var nanoseconds = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        while (context.Store.Get(CoreKinds.Events, ns, $"{involved.Name()}.{nanoseconds:x}") is not null)
        {
            // Two events within one tick (or a frozen test clock): the recorder's clock has nanoseconds to spare.
            nanoseconds++;
        }
        context.Store.Create(CoreKinds.Events, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{involved.Name()}.{nanoseconds:x}", ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = involved.StringAt("apiVersion"),
                ["kind"] = involved.StringAt("kind"),
                ["namespace"] = involved.Namespace(),
                ["name"] = involved.Name(),
                ["uid"] = involved.StringAt("metadata", "uid"),
                ["resourceVersion"] = involved.StringAt("metadata", "resourceVersion"),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = component },
            ["firstTimestamp"] = Timestamps.Format(now),
            ["lastTimestamp"] = Timestamps.Format(now),
            ["count"] = 1,
            ["type"] = type,
            ["reportingComponent"] = component,
            ["reportingInstance"] = "",
        });
    }
}
