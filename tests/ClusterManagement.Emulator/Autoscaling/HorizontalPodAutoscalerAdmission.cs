using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Autoscaling;

/// <summary>
/// SetDefaults_HorizontalPodAutoscaler (autoscaling/v2: minReplicas 1, CPU at 80% when no metric is
/// given) and ValidateHorizontalPodAutoscaler's checks with the real field paths and messages.
/// </summary>
public sealed class HorizontalPodAutoscalerAdmission : IAdmissionPlugin
{
    private static readonly string[] MetricTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind != AutoscalingModule.HorizontalPodAutoscalers || request.Object is not { } hpa || request.Operation == AdmissionOperation.Delete)
        {
            return ValueTask.CompletedTask;
        }
        var spec = hpa.ObjectAt("spec");
        if (request.Subresource is null)
        {
            spec["minReplicas"] ??= 1;
            spec["metrics"] ??= new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 } },
            });
        }
        var causes = new List<(string Field, string Reason, string Message)>();
        foreach (var field in new[] { "kind", "name" })
        {
            if (spec.StringAt("scaleTargetRef", field) is not { Length: > 0 })
            {
                causes.Add(($"spec.scaleTargetRef.{field}", "FieldValueRequired", "Required value"));
            }
        }
        var min = spec.LongAt("minReplicas") ?? 1;
        var max = spec.LongAt("maxReplicas") ?? 0;
        if (min < 1)
        {
            causes.Add(("spec.minReplicas", "FieldValueInvalid", $"Invalid value: {min}: must be greater than or equal to 1"));
        }
        if (max < 1)
        {
            causes.Add(("spec.maxReplicas", "FieldValueInvalid", $"Invalid value: {max}: must be greater than 0"));
        }
        else if (max < min)
        {
            causes.Add(("spec.maxReplicas", "FieldValueInvalid", $"Invalid value: {max}: must be greater than or equal to `minReplicas`"));
        }
        var metrics = spec.ObjectsAt("metrics").ToList();
        for (var i = 0; i < metrics.Count; i++)
        {
            ValidateMetric(metrics[i], $"spec.metrics[{i}]", causes);
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(request.Kind, hpa.Name(), [.. causes]);
        }
        return ValueTask.CompletedTask;
    }

    private static void ValidateMetric(JsonObject metric, string path, List<(string, string, string)> causes)
    {
        var type = metric.StringAt("type");
        if (type is null or "")
        {
            causes.Add(($"{path}.type", "FieldValueRequired", "Required value: must specify a metric source type"));
            return;
        }
        if (!MetricTypes.Contains(type))
        {
            causes.Add(($"{path}.type", "FieldValueNotSupported",
                $"Unsupported value: \"{type}\": supported values: {string.Join(", ", MetricTypes.Select(t => $"\"{t}\""))}"));
            return;
        }
        if (type is not ("Resource" or "ContainerResource"))
        {
            return;
        }
        var source = type == "Resource" ? "resource" : "containerResource";
        if (metric[source] is not JsonObject resource)
        {
            causes.Add(($"{path}.{source}", "FieldValueRequired", $"Required value: must populate information for the given metric source (only allowed when type is {type})"));
            return;
        }
        if (resource.StringAt("name") is not { Length: > 0 })
        {
            causes.Add(($"{path}.{source}.name", "FieldValueRequired", "Required value: must specify a resource name"));
        }
        var target = resource["target"] as JsonObject;
        switch (target?.StringAt("type"))
        {
            case "Utilization":
                if (target.LongAt("averageUtilization") is not > 0)
                {
                    causes.Add(($"{path}.{source}.target.averageUtilization", "FieldValueRequired", "Required value: must set either a target raw value or a target utilization"));
                }
                break;
            case "AverageValue":
                if (target["averageValue"] is null)
                {
                    causes.Add(($"{path}.{source}.target.averageValue", "FieldValueRequired", "Required value: must set either a target raw value or a target utilization"));
                }
                break;
            default:
                causes.Add(($"{path}.{source}.target.type", "FieldValueRequired", "Required value: must specify a metric target type"));
                break;
        }
    }
}
