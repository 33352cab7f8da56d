using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// The parts of pkg/apis/core/validation a client meets most: node taints (qualified keys, label values,
/// the three effects, unique by key and effect), ConfigMap and Secret data keys, container resource requests and limits in pods and in
/// the pod templates of workloads (standard names, quantities that decode, not negative, requests within
/// limits). Quantities are stored as the server re-prints them.
/// </summary>
public sealed class CoreValidationAdmission : IAdmissionPlugin
{
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    private static readonly HashSet<string> TemplateKinds = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"];

    private static readonly string[] ContainerLists = ["initContainers", "containers", "ephemeralContainers"];

    private static readonly string[] StandardContainerResources = ["cpu", "memory", "ephemeral-storage"];

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Object is not { } obj || request.Subresource is not (null or "status"))
        {
            return ValueTask.CompletedTask;
        }
        var kind = request.Kind;
        var causes = new List<(string Field, string Reason, string Message)>();
        if (kind == CoreKinds.Nodes)
        {
            causes.AddRange(TaintErrors(obj.At("spec", "taints") as JsonArray));
        }
        else if (kind == CoreKinds.Pods)
        {
            causes.AddRange(PodSpecErrors(kind, obj.At("spec") as JsonObject, "spec"));
        }
        else if (kind == CoreKinds.ConfigMaps || kind == CoreKinds.Secrets)
        {
            causes.AddRange(DataKeyErrors(obj));
        }
        else if (TemplateKinds.Contains(kind.Kind))
        {
            causes.AddRange(PodSpecErrors(kind, obj.At("spec", "template", "spec") as JsonObject, "spec.template.spec"));
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(kind, request.Name, [.. causes]);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>validateNodeTaints.</summary>
    private static IEnumerable<(string, string, string)> TaintErrors(JsonArray? taints)
    {
        var seen = new HashSet<(string Key, string Effect)>();
        var index = 0;
        foreach (var taint in (taints ?? []).OfType<JsonObject>())
        {
            var path = $"spec.taints[{index++}]";
            var key = taint.StringAt("key") ?? "";
            var value = taint.StringAt("value") ?? "";
            var effect = taint.StringAt("effect") ?? "";
            foreach (var message in ObjectValidation.QualifiedNameErrors(key))
            {
                yield return ObjectValidation.Invalid($"{path}.key", key, message);
            }
            if (ObjectValidation.LabelValueErrors(value).ToList() is { Count: > 0 } valueErrors)
            {
                yield return ObjectValidation.Invalid($"{path}.value", value, string.Join(";", valueErrors));
            }
            if (effect.Length == 0)
            {
                yield return ($"{path}.effect", "FieldValueRequired", "Required value");
            }
            else if (!TaintEffects.Contains(effect))
            {
                yield return ($"{path}.effect", "FieldValueNotSupported",
                    $"Unsupported value: {ObjectValidation.GoQuote(effect)}: supported values: {string.Join(", ", TaintEffects.Select(ObjectValidation.GoQuote))}");
            }
            if (!seen.Add((key, effect)))
            {
                var timeAdded = taint["timeAdded"] is null ? "(*v1.Time)(nil)" : "(*v1.Time)(0xc000000000)";
                yield return (path, "FieldValueDuplicate",
                    $"Duplicate value: core.Taint{{Key:{ObjectValidation.GoQuote(key)}, Value:{ObjectValidation.GoQuote(value)}, Effect:{ObjectValidation.GoQuote(effect)}, TimeAdded:{timeAdded}}}: taints must be unique by key and effect pair");
            }
        }
    }

    /// <summary>IsConfigMapKey for every key of a ConfigMap's or Secret's data (and a ConfigMap's binaryData).</summary>
    private static IEnumerable<(string, string, string)> DataKeyErrors(JsonObject obj)
    {
        foreach (var field in new[] { "data", "binaryData" })
        {
            foreach (var (key, _) in obj[field] as JsonObject ?? [])
            {
                foreach (var message in ConfigKeyErrors(key))
                {
                    yield return ObjectValidation.Invalid($"{field}[{key}]", key, message);
                }
            }
        }
    }

    private static IEnumerable<string> ConfigKeyErrors(string key)
    {
        if (key.Length > 253)
        {
            yield return "must be no more than 253 characters";
        }
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
        {
            yield return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
        }
        if (key is "." or "..")
        {
            yield return $"must not be '{key}'";
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    /// <summary>ValidateResourceRequirements for every container of a pod spec.</summary>
    private static IEnumerable<(string, string, string)> PodSpecErrors(ResourceKind kind, JsonObject? spec, string specPath)
    {
        foreach (var list in ContainerLists)
        {
            var index = 0;
            foreach (var container in spec.ObjectsAt(list))
            {
                var path = $"{specPath}.{list}[{index++}].resources";
                var limits = Quantities.ReadList(kind, container.At("resources", "limits") as JsonObject);
                var requests = Quantities.ReadList(kind, container.At("resources", "requests") as JsonObject);
                foreach (var cause in QuantityErrors(limits, $"{path}.limits").Concat(QuantityErrors(requests, $"{path}.requests")))
                {
                    yield return cause;
                }
                foreach (var (name, request) in requests)
                {
                    if (limits.TryGetValue(name, out var limit) && request.Value > limit.Value)
                    {
                        yield return ObjectValidation.Invalid($"{path}.requests", request.Text, $"must be less than or equal to {name} limit of {limit.Text}");
                    }
                }
            }
        }
    }

    private static IEnumerable<(string, string, string)> QuantityErrors(Dictionary<string, (decimal Value, string Text)> quantities, string path)
    {
        foreach (var (name, quantity) in quantities)
        {
            if (!name.Contains('/') && !StandardContainerResources.Contains(name) && !name.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                yield return ObjectValidation.Invalid($"{path}[{name}]", name, "must be a standard resource for containers");
            }
            if (quantity.Value < 0)
            {
                yield return ObjectValidation.Invalid($"{path}[{name}]", quantity.Text, "must be greater than or equal to 0");
            }
        }
    }
}
