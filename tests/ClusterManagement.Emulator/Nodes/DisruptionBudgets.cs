using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// The disruption controller's arithmetic (pkg/controller/disruption): which pods a budget covers,
/// how many of them count as healthy, and how many disruptions that allows.
/// </summary>
public static class DisruptionBudgets
{
    /// <summary>The controller forgets an approved eviction whose pod never went away after this long.</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    /// <summary>metav1.LabelSelector (matchLabels and matchExpressions); an empty selector matches nothing, as for evictions.</summary>
    public static bool Selects(JsonObject budget, JsonObject pod)
    {
        if (budget.At("spec", "selector") is not JsonObject selector)
        {
            return false;
        }
        var matchLabels = selector["matchLabels"] as JsonObject;
        var expressions = selector.ObjectsAt("matchExpressions").ToList();
        if ((matchLabels is null || matchLabels.Count == 0) && expressions.Count == 0)
        {
            return false;
        }
        var labels = pod.Labels();
        foreach (var (key, value) in matchLabels ?? [])
        {
            if (labels.StringAt(key) != value?.ToString())
            {
                return false;
            }
        }
        foreach (var expression in expressions)
        {
            var key = expression.StringAt("key") ?? "";
            var actual = labels.StringAt(key);
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString()).ToHashSet();
            var holds = expression.StringAt("operator") switch
            {
                "In" => actual is not null && values.Contains(actual),
                "NotIn" => actual is null || !values.Contains(actual),
                "Exists" => actual is not null,
                "DoesNotExist" => actual is null,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsReady(JsonObject pod) => pod.Condition("Ready")?.StringAt("status") == "True";

    public static bool IsTerminating(JsonObject pod) => pod.At("metadata", "deletionTimestamp") is not null;

    /// <summary>
    /// The status the controller would write: expected, healthy and desired counts, allowed disruptions,
    /// and disruptedPods without the entries the controller has seen through.
    /// </summary>
    /// <param name="replicasOf">The scale of a pod's controller, when that controller exists; null counts the pod alone.</param>
    public static JsonObject ComputeStatus(JsonObject budget, IReadOnlyList<JsonObject> pods, Func<JsonObject, (string Uid, long Replicas)?> replicasOf, DateTimeOffset now)
    {
        var covered = pods.Where(p => Selects(budget, p)).ToList();
        var disrupted = new JsonObject();
        foreach (var (podName, when) in budget.At("status", "disruptedPods") as JsonObject ?? [])
        {
            var pod = covered.FirstOrDefault(p => p.Name() == podName);
            var approved = Timestamps.Parse(when?.ToString());
            if (pod is not null && !IsTerminating(pod) && approved is { } at && now - at < DeletionTimeout)
            {
                disrupted[podName] = when!.DeepClone();
            }
        }

        var healthy = covered.Count(p => IsReady(p) && !IsTerminating(p) && !disrupted.ContainsKey(p.Name()));
        var (expected, desired) = Targets(budget.ObjectAt("spec"), covered, replicasOf);
        var allowed = expected <= 0 ? 0 : Math.Max(0, healthy - desired);
        var generation = budget.LongAt("metadata", "generation") ?? 1;
        var previous = budget.Condition("DisruptionAllowed");
        var conditionStatus = allowed > 0 ? "True" : "False";
        var status = new JsonObject { ["observedGeneration"] = generation };
        if (disrupted.Count > 0)
        {
            status["disruptedPods"] = disrupted;
        }
        status["disruptionsAllowed"] = allowed;
        status["currentHealthy"] = healthy;
        status["desiredHealthy"] = desired;
        status["expectedPods"] = expected;
        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = conditionStatus,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = previous?.StringAt("status") == conditionStatus
                ? previous.StringAt("lastTransitionTime")
                : Timestamps.Format(now),
            ["reason"] = allowed > 0 ? "SufficientPods" : "InsufficientPods",
            ["message"] = "",
        });
        return status;
    }

    /// <summary>
    /// getExpectedPodCount: an integer minAvailable counts the pods; percentages and maxUnavailable need the
    /// controllers' scale. A pod whose controller the emulator does not hold counts for itself (the real
    /// controller would refuse such a budget), so until a pod is gone it keeps its place in the scale.
    /// </summary>
    private static (long Expected, long Desired) Targets(JsonObject spec, IReadOnlyList<JsonObject> covered, Func<JsonObject, (string Uid, long Replicas)?> replicasOf)
    {
        if (spec["minAvailable"] is JsonValue min && min.TryGetValue<long>(out var minimum))
        {
            return (covered.Count, minimum);
        }
        var scale = 0L;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in covered)
        {
            if (replicasOf(pod) is { } owner)
            {
                if (counted.Add(owner.Uid))
                {
                    scale += owner.Replicas;
                }
            }
            else
            {
                scale++;
            }
        }
        if (spec["maxUnavailable"] is { } maxUnavailable)
        {
            return (scale, Math.Max(0, scale - Scaled(maxUnavailable, scale)));
        }
        return spec["minAvailable"] is { } percent ? (scale, Scaled(percent, scale)) : (scale, scale);
    }

    /// <summary>intstr.GetScaledValueFromIntOrPercent with rounding up, as the controller calls it.</summary>
    private static long Scaled(JsonNode value, long total)
    {
        if (value is JsonValue v && v.TryGetValue<long>(out var number))
        {
            return number;
        }
        var text = value.ToString().TrimEnd('%');
        return long.TryParse(text, out var percent) ? (long)Math.Ceiling(percent * total / 100.0) : 0;
    }
}
