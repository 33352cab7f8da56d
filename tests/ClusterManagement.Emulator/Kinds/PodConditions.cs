using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>The status a kubelet posts once every container of a pod runs (seeded pods start in it).</summary>
public static class PodConditions
{
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
