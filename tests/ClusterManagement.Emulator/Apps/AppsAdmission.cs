using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// The apps/v1 defaulting functions and the registry's validation for Deployments and ReplicaSets:
/// what a client reads back after a write, and the 422s the real server gives.
/// </summary>
public sealed class AppsAdmission : IAdmissionPlugin
{
    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Object is not { } obj || request.Operation == AdmissionOperation.Delete
            || (request.Kind != AppsKinds.Deployments && request.Kind != AppsKinds.ReplicaSets))
        {
            return ValueTask.CompletedTask;
        }
        if (request.Subresource is null)
        {
            Default(obj, request.Kind == AppsKinds.Deployments);
        }
        Validate(request.Kind, obj, request.OldObject);
        return ValueTask.CompletedTask;
    }

    internal static void Default(JsonObject obj, bool deployment)
    {
        var spec = obj.ObjectAt("spec");
        spec["replicas"] ??= 1;
        if (deployment)
        {
            var strategy = spec.ObjectAt("strategy");
            strategy["type"] ??= "RollingUpdate";
            if (strategy.StringAt("type") == "RollingUpdate")
            {
                var rolling = strategy.ObjectAt("rollingUpdate");
                rolling["maxUnavailable"] ??= "25%";
                rolling["maxSurge"] ??= "25%";
            }
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
        }
        DefaultPodTemplate(spec);
    }

    /// <summary>SetDefaults_PodSpec and SetDefaults_Container on a workload's pod template.</summary>
    internal static void DefaultPodTemplate(JsonObject spec)
    {
        // Go serializes the template's zero creationTimestamp as null; clients read it back that way.
        spec.ObjectAt("template").ObjectAt("metadata")["creationTimestamp"] = null;
        var podSpec = spec.ObjectAt("template").ObjectAt("spec");
        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        foreach (var container in podSpec.ObjectsAt("containers"))
        {
            var image = container.StringAt("image") ?? "";
            var reference = image[(image.LastIndexOf('/') + 1)..];
            var pinned = image.Contains('@') || (reference.Contains(':') && !reference.EndsWith(":latest", StringComparison.Ordinal));
            container["resources"] ??= new JsonObject();
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["imagePullPolicy"] ??= pinned ? "IfNotPresent" : "Always";
        }
    }

    private static void Validate(ResourceKind kind, JsonObject obj, JsonObject? old)
    {
        var causes = ValidateWorkload(obj, old);
        if (causes.Count > 0)
        {
            throw Status.Invalid(kind, obj.Name(), [.. causes]);
        }
    }

    /// <summary>What ValidateDeployment, ValidateReplicaSet, ValidateDaemonSet and ValidateStatefulSet share: replicas, selector, template.</summary>
    internal static List<(string Field, string Reason, string Message)> ValidateWorkload(JsonObject obj, JsonObject? old)
    {
        var causes = new List<(string, string, string)>();
        if (obj.LongAt("spec", "replicas") is < 0 and var replicas)
        {
            causes.Add(("spec.replicas", "FieldValueInvalid", $"Invalid value: {replicas}: must be greater than or equal to 0"));
        }
        var selector = obj.At("spec", "selector") as JsonObject;
        if (selector is null || (selector["matchLabels"] is not JsonObject { Count: > 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 }))
        {
            causes.Add(("spec.selector", "FieldValueRequired", "Required value"));
        }
        else if (!LabelSelectors.Matches(selector, obj.At("spec", "template", "metadata", "labels") as JsonObject))
        {
            causes.Add(("spec.template.metadata.labels", "FieldValueInvalid",
                $"Invalid value: {obj.At("spec", "template", "metadata", "labels")?.ToJsonString() ?? "null"}: `selector` does not match template `labels`"));
        }
        if (old is not null && selector is not null && !JsonNode.DeepEquals(selector, old.At("spec", "selector")))
        {
            causes.Add(("spec.selector", "FieldValueInvalid", $"Invalid value: {selector.ToJsonString()}: field is immutable"));
        }
        var containers = obj.ObjectsAt("spec", "template", "spec", "containers").ToList();
        if (containers.Count == 0)
        {
            causes.Add(("spec.template.spec.containers", "FieldValueRequired", "Required value"));
        }
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i].StringAt("name") is not { Length: > 0 })
            {
                causes.Add(($"spec.template.spec.containers[{i}].name", "FieldValueRequired", "Required value"));
            }
            if (containers[i].StringAt("image") is not { } image || image.Trim().Length == 0)
            {
                causes.Add(($"spec.template.spec.containers[{i}].image", "FieldValueRequired", "Required value"));
            }
        }
        return causes;
    }
}
