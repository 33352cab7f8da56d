using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tables;

/// <summary>
/// printers.go printPod for pods without init containers (the emulator never runs any): READY
/// counts ready running containers, STATUS takes the last container's waiting/terminated reason,
/// Terminating wins once deletionTimestamp is set on a non-terminal pod.
/// </summary>
public sealed class PodTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        TableColumn.AgeColumn,
        new("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", Priority: 1),
        new("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.", Priority: 1),
        new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", Priority: 1),
        new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject pod, DateTimeOffset now)
    {
        var phase = pod.StringAt("status", "phase") ?? "";
        var reason = pod.StringAt("status", "reason") is { Length: > 0 } r ? r : phase;
        var restarts = 0L;
        var ready = 0;
        var hasRunning = false;
        DateTimeOffset? lastRestart = null;
        foreach (var container in pod.ObjectsAt("status", "containerStatuses").Reverse())
        {
            restarts += container.LongAt("restartCount") ?? 0;
            if (Timestamps.Parse(container.StringAt("lastState", "terminated", "finishedAt")) is { } finished && (lastRestart is null || finished > lastRestart))
            {
                lastRestart = finished;
            }
            var state = container["state"];
            if (state.StringAt("waiting", "reason") is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (state.At("terminated") is JsonObject terminated)
            {
                reason = terminated.StringAt("reason") is { Length: > 0 } why ? why
                    : terminated.LongAt("signal") is { } signal and not 0 ? $"Signal:{signal}"
                    : $"ExitCode:{terminated.LongAt("exitCode") ?? 0}";
            }
            else if (container.BoolAt("ready") && state.At("running") is not null)
            {
                hasRunning = true;
                ready++;
            }
        }
        if (reason == "Completed" && hasRunning)
        {
            reason = pod.Condition("Ready") is not null ? "Running" : "NotReady";
        }
        if (pod.At("metadata", "deletionTimestamp") is not null)
        {
            if (pod.StringAt("status", "reason") == "NodeLost")
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }
        var restartText = restarts != 0 && lastRestart is { } last ? $"{restarts} ({HumanDuration.Format(now - last)} ago)" : restarts.ToString();
        var containers = pod.At("spec", "containers") is JsonArray list ? list.Count : 0;
        return
        [
            pod.Name(),
            $"{ready}/{containers}",
            reason,
            restartText,
            HumanDuration.Since(pod.StringAt("metadata", "creationTimestamp"), now),
            pod.ObjectsAt("status", "podIPs").FirstOrDefault()?.StringAt("ip") is { Length: > 0 } ip ? ip : "<none>",
            pod.StringAt("spec", "nodeName") is { Length: > 0 } node ? node : "<none>",
            pod.StringAt("status", "nominatedNodeName") is { Length: > 0 } nominated ? nominated : "<none>",
            ReadinessGates(pod),
        ];
    }

    private static string ReadinessGates(JsonObject pod)
    {
        var gates = pod.ObjectsAt("spec", "readinessGates").Select(g => g.StringAt("conditionType")).ToList();
        if (gates.Count == 0)
        {
            return "<none>";
        }
        var passed = gates.Count(g => g is not null && pod.Condition(g)?.StringAt("status") == "True");
        return $"{passed}/{gates.Count}";
    }
}
