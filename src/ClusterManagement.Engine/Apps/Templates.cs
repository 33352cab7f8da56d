using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

using ClusterManagement.Apps;

namespace ClusterManagement.Engine.Apps;

/// <summary>Pod template comparison as kubectl and the controller do it (EqualIgnoreHash).</summary>
internal static class Templates
{
    public const string HashLabel = "pod-template-hash";

    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) => Canonical(WithoutHash(a)) == Canonical(WithoutHash(b));

    public static V1PodTemplateSpec? WithoutHash(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            return null;
        }
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
        copy.Metadata?.Labels?.Remove(HashLabel);
        return copy;
    }

    /// <summary>Sorted keys, no nulls and no empty label or annotation maps: two equal templates print the same.</summary>
    private static string Canonical(V1PodTemplateSpec? template) =>
        template is null ? "null" : Canonical(JsonNode.Parse(KubernetesJson.Serialize(template)));

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Where(p => p.Value is not null && !(p.Key is "labels" or "annotations" && p.Value is JsonObject { Count: 0 }))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
