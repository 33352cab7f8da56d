using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>The status a kubelet posts once every container of a pod runs, or when an image cannot be pulled.</summary>
public static class PodConditions
{
    /// <summary>Tests make a release fail by giving it an image whose tag starts with this (web:broken, web:broken-2).</summary>
    public const string UnpullableImageMarker = ":broken";

    public static bool IsUnpullable(string? image) => image?.Contains(UnpullableImageMarker, StringComparison.Ordinal) == true;

    public static void MarkImagePullBackOff(JsonObject pod, string hostIp, DateTimeOffset at)
    {
        var now = Timestamps.Format(at);
        var status = pod.ObjectAt("status");
        status["phase"] = "Pending";
        status["hostIP"] = hostIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp });
        status["startTime"] = now;
        status["qosClass"] ??= "BestEffort";
        status["conditions"] = new JsonArray(
            Condition("PodReadyToStartContainers", "True", now),
            Condition("Initialized", "True", now),
            Condition("Ready", "False", now, "ContainersNotReady"),
            Condition("ContainersReady", "False", now, "ContainersNotReady"),
            Condition("PodScheduled", "True", now));
        status["containerStatuses"] = new JsonArray(pod.ObjectsAt("spec", "containers").Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.StringAt("name"),
            ["image"] = c.StringAt("image"),
            ["imageID"] = "",
            ["ready"] = false,
            ["started"] = false,
            ["restartCount"] = 0,
            ["state"] = IsUnpullable(c.StringAt("image"))
                ? new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = $"Back-off pulling image \"{c.StringAt("image")}\"" } }
                : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            ["lastState"] = new JsonObject(),
        }).ToArray());
    }

    private static JsonObject Condition(string type, string status, string at, string? reason = null)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastProbeTime"] = null, ["lastTransitionTime"] = at };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }
        return condition;
    }

    public static void MarkRunning(JsonObject pod, string hostIp, string podIp, DateTimeOffset startedAt)
    {
        var started = Timestamps.Format(startedAt);
        var status = pod.ObjectAt("status");
        status["phase"] = "Running";
        status["hostIP"] = hostIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp });
        status["podIP"] = podIp;
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
        status["startTime"] = started;
        status["qosClass"] ??= "BestEffort";
        status["conditions"] = new JsonArray(new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" }
            .Select(type => (JsonNode)new JsonObject
            {
                ["type"] = type,
                ["status"] = "True",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = started,
            }).ToArray());
        status["containerStatuses"] = new JsonArray(pod.ObjectsAt("spec", "containers").Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.StringAt("name"),
            ["image"] = c.StringAt("image"),
            ["imageID"] = "",
            ["containerID"] = $"containerd://{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}",
            ["ready"] = true,
            ["started"] = true,
            ["restartCount"] = 0,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
            ["lastState"] = new JsonObject(),
        }).ToArray());
    }
}
