using k8s.Models;

using ClusterManagement.Apps;

namespace ClusterManagement.Engine.Apps;

/// <summary>metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, as kubectl's SELECTOR column.</summary>
internal static class LabelSelectorText
{
    public static string Format(V1LabelSelector? selector)
    {
        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            requirements.Add((key, $"{key}={value}"));
        }
        foreach (var e in selector?.MatchExpressions ?? [])
        {
            var values = string.Join(",", (e.Values ?? []).Order(StringComparer.Ordinal));
            requirements.Add((e.Key, e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({values})",
                "NotIn" => $"{e.Key} notin ({values})",
                "DoesNotExist" => $"!{e.Key}",
                _ => e.Key,
            }));
        }
        return requirements.Count == 0 ? "<none>" : string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }
}
