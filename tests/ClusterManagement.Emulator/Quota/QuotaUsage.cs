using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Quota;

/// <summary>An amount of a quota resource, printed as resource.Quantity prints it in the family it was written in.</summary>
public readonly record struct QuotaAmount(decimal Value, bool Binary)
{
    public static QuotaAmount One { get; } = new(1, false);

    public override string ToString() => Quantities.Format(Value, Binary);

    /// <summary>Quantity.Add keeps the format of the amount it adds to, unless that is zero.</summary>
    public QuotaAmount Plus(QuotaAmount other) => new(Value + other.Value, Value == 0 ? other.Binary : Binary);

    public static QuotaAmount Parse(string? text) =>
        Quantities.TryParse(text, out var value, out var binary) ? new QuotaAmount(value, binary) : new QuotaAmount(0, false);
}

/// <summary>
/// What one object consumes of each quota resource, as the evaluators of pkg/quota/v1/evaluator/core
/// and the generic object-count evaluator measure it.
/// </summary>
public static class QuotaUsage
{
    /// <summary>The resources whose quota makes every container state its own value (pods.go validationSet).</summary>
    public static readonly string[] PodValidationSet = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

    private const string StorageClassSuffix = ".storageclass.storage.k8s.io/";

    /// <summary>generic.ObjectCountQuotaResourceNameFor: count/&lt;resource&gt;[.&lt;group&gt;].</summary>
    public static string CountName(ResourceKind kind) => "count/" + kind.QualifiedResource;

    /// <summary>Whether a quota resource name is measured on objects of this kind (evaluator.MatchingResources).</summary>
    public static bool Measures(ResourceKind kind, string resource)
    {
        if (resource == CountName(kind))
        {
            return true;
        }
        if (kind == CoreKinds.Pods)
        {
            return resource is "pods" or "cpu" or "memory" or "ephemeral-storage" || resource.StartsWith("requests.", StringComparison.Ordinal) && resource != "requests.storage"
                || resource.StartsWith("limits.", StringComparison.Ordinal);
        }
        if (kind == StorageKinds.PersistentVolumeClaims)
        {
            return resource is "persistentvolumeclaims" or "requests.storage" || resource.Contains(StorageClassSuffix, StringComparison.Ordinal);
        }
        if (kind == CoreKinds.Services)
        {
            return resource is "services" or "services.loadbalancers" or "services.nodeports";
        }
        return (kind == CoreKinds.Secrets && resource == "secrets") || (kind == CoreKinds.ConfigMaps && resource == "configmaps")
            || (kind.Group.Length == 0 && kind.Plural == "resourcequotas" && resource == "resourcequotas");
    }

    /// <summary>
    /// Whether a quota's scopes (spec.scopes, spec.scopeSelector) take in the object (Evaluator.Matches): only
    /// pods have scopes (pods.go podMatchesScopeFunc); a scoped quota counts no other kind.
    /// </summary>
    public static bool InScope(JsonObject quota, ResourceKind kind, JsonObject obj)
    {
        var requirements = quota.ObjectsAt("spec", "scopeSelector", "matchExpressions")
            .Select(e => (Scope: e.StringAt("scopeName") ?? "", Operator: e.StringAt("operator") ?? "", Values: (e["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>() ?? "").ToList()))
            .Concat((quota.At("spec", "scopes") as JsonArray ?? []).Select(s => (Scope: s?.GetValue<string>() ?? "", Operator: "Exists", Values: new List<string>())))
            .ToList();
        if (requirements.Count == 0)
        {
            return true;
        }
        return kind == CoreKinds.Pods && requirements.All(r => PodInScope(obj, r.Scope, r.Operator, r.Values));
    }

    private static bool PodInScope(JsonObject pod, string scope, string op, List<string> values)
    {
        var bestEffort = pod.ObjectsAt("spec", "containers").Concat(pod.ObjectsAt("spec", "initContainers"))
            .All(c => !ContainerResources(c, "requests").Any() && !ContainerResources(c, "limits").Any());
        var matches = scope switch
        {
            "Terminating" => pod.LongAt("spec", "activeDeadlineSeconds") is >= 0,
            "NotTerminating" => pod.LongAt("spec", "activeDeadlineSeconds") is not >= 0,
            "BestEffort" => bestEffort,
            "NotBestEffort" => !bestEffort,
            "PriorityClass" => op switch
            {
                "In" => values.Contains(pod.StringAt("spec", "priorityClassName") ?? ""),
                "NotIn" => !values.Contains(pod.StringAt("spec", "priorityClassName") ?? ""),
                "DoesNotExist" => pod.StringAt("spec", "priorityClassName") is null or "",
                _ => pod.StringAt("spec", "priorityClassName") is { Length: > 0 },
            },
            _ => false,
        };
        return scope == "PriorityClass" || op is "Exists" or "In" ? matches : !matches;
    }

    /// <summary>The object's usage (Evaluator.Usage); the caller masks it with the quota's resources.</summary>
    public static Dictionary<string, QuotaAmount> Of(ResourceKind kind, JsonObject obj, DateTimeOffset now)
    {
        var usage = new Dictionary<string, QuotaAmount>(StringComparer.Ordinal) { [CountName(kind)] = QuotaAmount.One };
        if (kind == CoreKinds.Pods)
        {
            AddPod(usage, obj, now);
        }
        else if (kind == StorageKinds.PersistentVolumeClaims)
        {
            usage["persistentvolumeclaims"] = QuotaAmount.One;
            var storage = QuotaAmount.Parse(obj.StringAt("spec", "resources", "requests", "storage"));
            usage["requests.storage"] = storage;
            if (obj.StringAt("spec", "storageClassName") is { Length: > 0 } storageClass)
            {
                usage[storageClass + StorageClassSuffix + "persistentvolumeclaims"] = QuotaAmount.One;
                usage[storageClass + StorageClassSuffix + "requests.storage"] = storage;
            }
        }
        else if (kind == CoreKinds.Services)
        {
            usage["services"] = QuotaAmount.One;
            var type = obj.StringAt("spec", "type") ?? "ClusterIP";
            usage["services.loadbalancers"] = new QuotaAmount(type == "LoadBalancer" ? 1 : 0, false);
            usage["services.nodeports"] = new QuotaAmount(type is "NodePort" or "LoadBalancer" ? obj.ObjectsAt("spec", "ports").Count() : 0, false);
        }
        else if (Measures(kind, kind.Plural))
        {
            usage[kind.Plural] = QuotaAmount.One;
        }
        return usage;
    }

    /// <summary>
    /// Terminal pods, and pods past their deletion grace, hold no compute quota (QuotaV1Pod); count/pods
    /// counts every pod in storage.
    /// </summary>
    private static void AddPod(Dictionary<string, QuotaAmount> usage, JsonObject pod, DateTimeOffset now)
    {
        if (pod.StringAt("status", "phase") is "Succeeded" or "Failed")
        {
            return;
        }
        if (Timestamps.Parse(pod.StringAt("metadata", "deletionTimestamp")) is { } deleted
            && pod.LongAt("metadata", "deletionGracePeriodSeconds") is { } grace && now > deleted.AddSeconds(grace))
        {
            return;
        }
        usage["pods"] = QuotaAmount.One;
        foreach (var (name, amount) in PodResources(pod, "requests"))
        {
            usage[name] = amount;
            usage["requests." + name] = amount;
        }
        foreach (var (name, amount) in PodResources(pod, "limits"))
        {
            usage["limits." + name] = amount;
        }
    }

    /// <summary>resourcehelper.PodRequests/PodLimits: the containers' sum, or an init container's value when larger.</summary>
    private static Dictionary<string, QuotaAmount> PodResources(JsonObject pod, string which)
    {
        var total = new Dictionary<string, QuotaAmount>(StringComparer.Ordinal);
        foreach (var container in pod.ObjectsAt("spec", "containers"))
        {
            foreach (var (name, amount) in ContainerResources(container, which))
            {
                total[name] = total.TryGetValue(name, out var sum) ? sum.Plus(amount) : amount;
            }
        }
        foreach (var container in pod.ObjectsAt("spec", "initContainers"))
        {
            foreach (var (name, amount) in ContainerResources(container, which))
            {
                if (!total.TryGetValue(name, out var sum) || amount.Value > sum.Value)
                {
                    total[name] = amount;
                }
            }
        }
        return total;
    }

    public static IEnumerable<(string Name, QuotaAmount Amount)> ContainerResources(JsonObject container, string which) =>
        (container.At("resources", which) as JsonObject ?? [])
            .Where(r => r.Key is "cpu" or "memory" or "ephemeral-storage")
            .Select(r => (r.Key, QuotaAmount.Parse(r.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : r.Value?.ToJsonString())));
}
