using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Autoscaling;

/// <summary>
/// pkg/apis/autoscaling/v1/conversion.go between the stored autoscaling/v2 object and its autoscaling/v1
/// view: the CPU utilization metric is targetCPUUtilizationPercentage, every other metric, the current
/// metrics, the conditions and the behavior ride in the autoscaling.alpha.kubernetes.io annotations (metrics
/// in v1's MetricSpec form), so a v1 client's round trip keeps what it cannot see.
/// </summary>
public static class HorizontalPodAutoscalerConversion
{
    private const string MetricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    private const string CurrentMetricsAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";
    private const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
    private const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    public static JsonObject ToV1(JsonObject v2)
    {
        var meta = v2["metadata"]?.DeepClone().AsObject() ?? [];
        var annotations = meta["annotations"] as JsonObject ?? [];
        var spec = new JsonObject
        {
            ["scaleTargetRef"] = v2.At("spec", "scaleTargetRef")?.DeepClone(),
            ["minReplicas"] = v2.At("spec", "minReplicas")?.DeepClone(),
            ["maxReplicas"] = v2.At("spec", "maxReplicas")?.DeepClone(),
        };
        var metrics = v2.ObjectsAt("spec", "metrics").ToList();
        var cpu = metrics.FirstOrDefault(IsCpuUtilization);
        if (cpu is not null)
        {
            spec["targetCPUUtilizationPercentage"] = cpu.LongAt("resource", "target", "averageUtilization");
        }
        SetOrRemove(annotations, MetricsAnnotation, metrics.Where(m => !IsCpuUtilization(m)).Select(MetricToV1).ToList());
        SetOrRemove(annotations, CurrentMetricsAnnotation, v2.ObjectsAt("status", "currentMetrics").Select(m => (JsonNode)m.DeepClone()).ToList());
        SetOrRemove(annotations, ConditionsAnnotation, v2.ObjectsAt("status", "conditions").Select(c => (JsonNode)c.DeepClone()).ToList());
        if (v2.At("spec", "behavior") is JsonObject behavior)
        {
            annotations[BehaviorAnnotation] = behavior.ToJsonString();
        }
        else
        {
            annotations.Remove(BehaviorAnnotation);
        }
        if (annotations.Count > 0)
        {
            meta["annotations"] = annotations;
        }
        else
        {
            meta.Remove("annotations");
        }
        var status = new JsonObject();
        foreach (var field in (string[])["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"])
        {
            if (v2.At("status", field) is { } value)
            {
                status[field] = value.DeepClone();
            }
        }
        status["currentReplicas"] ??= 0;
        status["desiredReplicas"] ??= 0;
        if (v2.ObjectsAt("status", "currentMetrics").FirstOrDefault(m => m.StringAt("type") == "Resource" && m.StringAt("resource", "name") == "cpu")
            ?.LongAt("resource", "current", "averageUtilization") is { } current)
        {
            status["currentCPUUtilizationPercentage"] = current;
        }
        return new JsonObject { ["kind"] = "HorizontalPodAutoscaler", ["apiVersion"] = "autoscaling/v1", ["metadata"] = meta, ["spec"] = spec, ["status"] = status };
    }

    public static JsonObject ToV2(JsonObject v1)
    {
        var meta = v1["metadata"]?.DeepClone().AsObject() ?? [];
        var annotations = meta["annotations"] as JsonObject ?? [];
        var spec = new JsonObject
        {
            ["scaleTargetRef"] = v1.At("spec", "scaleTargetRef")?.DeepClone(),
            ["minReplicas"] = v1.At("spec", "minReplicas")?.DeepClone(),
            ["maxReplicas"] = v1.At("spec", "maxReplicas")?.DeepClone(),
        };
        var metrics = new JsonArray();
        if (v1.LongAt("spec", "targetCPUUtilizationPercentage") is { } cpu)
        {
            metrics.Add(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = cpu } },
            });
        }
        foreach (var other in Annotated(annotations, MetricsAnnotation))
        {
            metrics.Add(MetricToV2(other));
        }
        if (metrics.Count > 0)
        {
            spec["metrics"] = metrics;
        }
        if (annotations[BehaviorAnnotation]?.GetValue<string>() is { } behavior)
        {
            spec["behavior"] = JsonNode.Parse(behavior);
        }
        var status = new JsonObject();
        foreach (var field in (string[])["observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas"])
        {
            if (v1.At("status", field) is { } value)
            {
                status[field] = value.DeepClone();
            }
        }
        if (Annotated(annotations, CurrentMetricsAnnotation) is { Count: > 0 } current)
        {
            status["currentMetrics"] = new JsonArray([.. current.Select(c => c.DeepClone())]);
        }
        if (Annotated(annotations, ConditionsAnnotation) is { Count: > 0 } conditions)
        {
            status["conditions"] = new JsonArray([.. conditions.Select(c => c.DeepClone())]);
        }
        foreach (var name in (string[])[MetricsAnnotation, CurrentMetricsAnnotation, ConditionsAnnotation, BehaviorAnnotation])
        {
            annotations.Remove(name);
        }
        if (annotations.Count == 0)
        {
            meta.Remove("annotations");
        }
        return new JsonObject { ["apiVersion"] = "autoscaling/v2", ["kind"] = "HorizontalPodAutoscaler", ["metadata"] = meta, ["spec"] = spec, ["status"] = status };
    }

    private static bool IsCpuUtilization(JsonObject metric) =>
        metric.StringAt("type") == "Resource" && metric.StringAt("resource", "name") == "cpu" && metric.At("resource", "target", "averageUtilization") is not null;

    private static void SetOrRemove(JsonObject annotations, string name, List<JsonNode> items)
    {
        if (items.Count > 0)
        {
            annotations[name] = new JsonArray([.. items]).ToJsonString();
        }
        else
        {
            annotations.Remove(name);
        }
    }

    private static List<JsonObject> Annotated(JsonObject annotations, string name) =>
        annotations[name]?.GetValue<string>() is { } text && JsonNode.Parse(text) is JsonArray items ? [.. items.OfType<JsonObject>()] : [];

    /// <summary>Convert_autoscaling_MetricSpec_To_v1_MetricSpec: targets flattened into the v2beta1-style fields.</summary>
    private static JsonNode MetricToV1(JsonObject metric)
    {
        var type = metric.StringAt("type");
        var v1 = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "Resource" or "ContainerResource":
                var source = type == "Resource" ? "resource" : "containerResource";
                var resource = new JsonObject { ["name"] = metric.StringAt(source, "name") };
                if (type == "ContainerResource")
                {
                    resource["container"] = metric.StringAt(source, "container");
                }
                Copy(metric.At(source, "target", "averageUtilization"), resource, "targetAverageUtilization");
                Copy(metric.At(source, "target", "averageValue"), resource, "targetAverageValue");
                v1[source] = resource;
                break;
            case "Pods":
                var pods = new JsonObject { ["metricName"] = metric.StringAt("pods", "metric", "name") };
                Copy(metric.At("pods", "target", "averageValue"), pods, "targetAverageValue");
                Copy(metric.At("pods", "metric", "selector"), pods, "selector");
                v1["pods"] = pods;
                break;
            case "Object":
                var obj = new JsonObject { ["target"] = metric.At("object", "describedObject")?.DeepClone(), ["metricName"] = metric.StringAt("object", "metric", "name") };
                Copy(metric.At("object", "target", "value"), obj, "targetValue");
                Copy(metric.At("object", "target", "averageValue"), obj, "averageValue");
                Copy(metric.At("object", "metric", "selector"), obj, "selector");
                v1["object"] = obj;
                break;
            case "External":
                var external = new JsonObject { ["metricName"] = metric.StringAt("external", "metric", "name") };
                Copy(metric.At("external", "metric", "selector"), external, "metricSelector");
                Copy(metric.At("external", "target", "value"), external, "targetValue");
                Copy(metric.At("external", "target", "averageValue"), external, "targetAverageValue");
                v1["external"] = external;
                break;
        }
        return v1;
    }

    /// <summary>Convert_v1_MetricSpec_To_autoscaling_MetricSpec: the flattened fields back into a typed target.</summary>
    private static JsonNode MetricToV2(JsonObject v1)
    {
        var type = v1.StringAt("type");
        var v2 = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "Resource" or "ContainerResource":
                var source = type == "Resource" ? "resource" : "containerResource";
                var resource = new JsonObject { ["name"] = v1.StringAt(source, "name") };
                if (type == "ContainerResource")
                {
                    resource["container"] = v1.StringAt(source, "container");
                }
                resource["target"] = v1.At(source, "targetAverageUtilization") is { } utilization
                    ? new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = utilization.DeepClone() }
                    : new JsonObject { ["type"] = "AverageValue", ["averageValue"] = v1.At(source, "targetAverageValue")?.DeepClone() };
                v2[source] = resource;
                break;
            case "Pods":
                v2["pods"] = new JsonObject
                {
                    ["metric"] = Metric(v1.StringAt("pods", "metricName"), v1.At("pods", "selector")),
                    ["target"] = new JsonObject { ["type"] = "AverageValue", ["averageValue"] = v1.At("pods", "targetAverageValue")?.DeepClone() },
                };
                break;
            case "Object":
                v2["object"] = new JsonObject
                {
                    ["describedObject"] = v1.At("object", "target")?.DeepClone(),
                    ["metric"] = Metric(v1.StringAt("object", "metricName"), v1.At("object", "selector")),
                    ["target"] = v1.At("object", "averageValue") is { } average
                        ? new JsonObject { ["type"] = "AverageValue", ["averageValue"] = average.DeepClone() }
                        : new JsonObject { ["type"] = "Value", ["value"] = v1.At("object", "targetValue")?.DeepClone() },
                };
                break;
            case "External":
                v2["external"] = new JsonObject
                {
                    ["metric"] = Metric(v1.StringAt("external", "metricName"), v1.At("external", "metricSelector")),
                    ["target"] = v1.At("external", "targetAverageValue") is { } perPod
                        ? new JsonObject { ["type"] = "AverageValue", ["averageValue"] = perPod.DeepClone() }
                        : new JsonObject { ["type"] = "Value", ["value"] = v1.At("external", "targetValue")?.DeepClone() },
                };
                break;
        }
        return v2;
    }

    private static JsonObject Metric(string? name, JsonNode? selector)
    {
        var metric = new JsonObject { ["name"] = name };
        Copy(selector, metric, "selector");
        return metric;
    }

    private static void Copy(JsonNode? value, JsonObject into, string name)
    {
        if (value is not null)
        {
            into[name] = value.DeepClone();
        }
    }
}
