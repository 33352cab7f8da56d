using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Scheduling;

/// <summary>
/// The NodeAffinity filter (component-helpers nodeaffinity.GetRequiredNodeAffinity): every
/// spec.nodeSelector label, and one of the required nodeSelectorTerms, whose matchExpressions and
/// matchFields (metadata.name) must all hold; a term with neither matches nothing.
/// </summary>
public static class NodeAffinity
{
    public static bool Matches(JsonObject pod, JsonObject node)
    {
        if (pod.At("spec", "nodeSelector") is JsonObject selector
            && selector.Any(l => node.StringAt("metadata", "labels", l.Key) != l.Value?.GetValue<string>()))
        {
            return false;
        }
        if (pod.At("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution") is not JsonObject required)
        {
            return true;
        }
        return required.ObjectsAt("nodeSelectorTerms").Any(term =>
        {
            var expressions = term.ObjectsAt("matchExpressions").ToList();
            var fields = term.ObjectsAt("matchFields").ToList();
            return (expressions.Count > 0 || fields.Count > 0)
                && expressions.All(e => Holds(e, node.At("metadata", "labels") as JsonObject))
                && fields.All(f => Holds(f, new JsonObject { ["metadata.name"] = node.Name() }));
        });
    }

    private static bool Holds(JsonObject requirement, JsonObject? labels)
    {
        var key = requirement.StringAt("key") ?? "";
        var values = requirement["values"] is JsonArray array ? array.Select(v => v?.GetValue<string>()).ToList() : [];
        var present = labels is not null && labels.ContainsKey(key);
        var value = present ? labels![key]?.GetValue<string>() : null;
        return requirement.StringAt("operator") switch
        {
            "In" => present && values.Contains(value),
            "NotIn" => !present || !values.Contains(value),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && long.TryParse(value, out var gt) && values.Count == 1 && long.TryParse(values[0], out var bound) && gt > bound,
            "Lt" => present && long.TryParse(value, out var lt) && values.Count == 1 && long.TryParse(values[0], out var limit) && lt < limit,
            _ => false,
        };
    }
}
