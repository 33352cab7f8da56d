using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Autoscaling;

/// <summary>printers.go printHorizontalPodAutoscaler: REFERENCE kind/name, TARGETS current/target per metric, MINPODS, MAXPODS, REPLICAS.</summary>
public sealed class HorizontalPodAutoscalerTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
        new("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization."),
        new("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."),
        new("MaxPods", "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."),
        new("Replicas", "integer", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject hpa, DateTimeOffset now) =>
    [
        hpa.Name(),
        $"{hpa.StringAt("spec", "scaleTargetRef", "kind")}/{hpa.StringAt("spec", "scaleTargetRef", "name")}",
        Targets(hpa),
        hpa.LongAt("spec", "minReplicas") is { } min ? min.ToString() : "<unset>",
        hpa.LongAt("spec", "maxReplicas") ?? 0,
        hpa.LongAt("status", "currentReplicas") ?? 0,
        HumanDuration.Since(hpa.StringAt("metadata", "creationTimestamp"), now),
    ];

    /// <summary>formatHPAMetrics for Resource metrics (the ones kubectl autoscale makes), "&lt;none&gt;" without metrics.</summary>
    private static string Targets(JsonObject hpa)
    {
        var metrics = hpa.ObjectsAt("spec", "metrics").ToList();
        if (metrics.Count == 0)
        {
            return "<none>";
        }
        var current = hpa.ObjectsAt("status", "currentMetrics").ToList();
        return string.Join(", ", metrics.Select((metric, i) =>
        {
            var resource = metric["resource"] ?? metric["containerResource"];
            var name = resource.StringAt("name") ?? metric.StringAt("type");
            var seen = i < current.Count ? current[i][metric.StringAt("type") == "Resource" ? "resource" : "containerResource"]?["current"] : null;
            if (resource?["target"] is JsonObject target && target.LongAt("averageUtilization") is { } utilization)
            {
                return $"{name}: {(seen.LongAt("averageUtilization") is { } now ? $"{now}%" : "<unknown>")}/{utilization}%";
            }
            var value = resource?["target"]?["averageValue"]?.ToString() ?? resource?["target"]?["value"]?.ToString() ?? "<unknown>";
            return $"{name}: {seen?["averageValue"]?.ToString() ?? "<unknown>"}/{value}";
        }));
    }
}
