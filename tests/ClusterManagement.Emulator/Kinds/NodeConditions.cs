using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// The node conditions a kubelet posts and the node lifecycle controller overrides, with the
/// reasons and messages real components use.
/// </summary>
public static class NodeConditions
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const string StatusUnknownReason = "NodeStatusUnknown";
    public const string StatusUnknownMessage = "Kubelet stopped posting node status.";

    private static readonly (string Type, string Status, string Reason, string Message)[] Healthy =
    [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ];

    /// <summary>What a healthy kubelet reports, heartbeat and transition at <paramref name="now"/>.</summary>
    public static JsonArray HealthyConditions(DateTimeOffset now, DateTimeOffset since)
    {
        var array = new JsonArray();
        foreach (var c in Healthy)
        {
            array.Add(new JsonObject
            {
                ["type"] = c.Type,
                ["status"] = c.Status,
                ["lastHeartbeatTime"] = Timestamps.Format(now),
                ["lastTransitionTime"] = Timestamps.Format(since),
                ["reason"] = c.Reason,
                ["message"] = c.Message,
            });
        }
        return array;
    }

    /// <summary>A kubelet heartbeat: every condition's lastHeartbeatTime moves to now.</summary>
    public static void Heartbeat(JsonObject node, DateTimeOffset now)
    {
        foreach (var condition in node.ObjectsAt("status", "conditions"))
        {
            condition["lastHeartbeatTime"] = Timestamps.Format(now);
        }
    }

    /// <summary>The node lifecycle controller's verdict on a silent node: conditions Unknown, unreachable taints.</summary>
    public static void MarkUnknown(JsonObject node, DateTimeOffset now)
    {
        foreach (var condition in node.ObjectsAt("status", "conditions"))
        {
            condition["status"] = "Unknown";
            condition["reason"] = StatusUnknownReason;
            condition["message"] = StatusUnknownMessage;
            condition["lastTransitionTime"] = Timestamps.Format(now);
        }
        var spec = node.ObjectAt("spec");
        if (spec["taints"] is not JsonArray taints)
        {
            spec["taints"] = taints = [];
        }
        foreach (var effect in new[] { "NoSchedule", "NoExecute" })
        {
            if (!taints.OfType<JsonObject>().Any(t => t.StringAt("key") == UnreachableTaint && t.StringAt("effect") == effect))
            {
                taints.Add(new JsonObject { ["key"] = UnreachableTaint, ["effect"] = effect, ["timeAdded"] = Timestamps.Format(now) });
            }
        }
    }

    /// <summary>
    /// What a healthy kubelet posts once its status differs from the stored one (the lifecycle controller
    /// marked it Unknown): its own conditions, heartbeat and transition now.
    /// </summary>
    public static void Report(JsonObject node, DateTimeOffset now) => node.ObjectAt("status")["conditions"] = HealthyConditions(now, now);

    /// <summary>
    /// The lifecycle controller's markNodeAsReachable: the unreachable taints go once the kubelet posts
    /// Ready=True again.
    /// </summary>
    public static void LiftUnreachableTaints(JsonObject node)
    {
        if (node.At("spec", "taints") is not JsonArray taints)
        {
            return;
        }
        foreach (var taint in taints.OfType<JsonObject>().Where(t => t.StringAt("key") == UnreachableTaint).ToList())
        {
            taints.Remove(taint);
        }
        if (taints.Count == 0)
        {
            node.ObjectAt("spec").Remove("taints");
        }
    }

    public static bool HasUnreachableTaint(JsonObject node) =>
        node.At("spec", "taints") is JsonArray taints && taints.OfType<JsonObject>().Any(t => t.StringAt("key") == UnreachableTaint);

    public static bool IsReady(JsonObject node) => node.Condition("Ready")?.StringAt("status") == "True";

    public static bool IsMarkedUnknown(JsonObject node) => node.Condition("Ready")?.StringAt("reason") == StatusUnknownReason;

    public static DateTimeOffset? LastHeartbeat(JsonObject node) => Timestamps.Parse(node.Condition("Ready")?.StringAt("lastHeartbeatTime"));
}
