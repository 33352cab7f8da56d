using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>metav1.LabelSelector as controllers use it: matching a label map, and its string form.</summary>
public static class LabelSelectors
{
    public static bool Matches(JsonObject? selector, JsonObject? labels)
    {
        if (selector is null)
        {
            return false;
        }
        string? Label(string key) => labels?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (Label(key) != value?.GetValue<string>())
            {
                return false;
            }
        }
        foreach (var expression in selector.ObjectsAt("matchExpressions"))
        {
            var key = expression.StringAt("key") ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).ToList();
            var actual = Label(key);
            var ok = expression.StringAt("operator") switch
            {
                "In" => actual is not null && values.Contains(actual),
                "NotIn" => actual is null || !values.Contains(actual),
                "Exists" => actual is not null,
                "DoesNotExist" => actual is null,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>LabelSelectorAsSelector(...).String(): requirements sorted by key, as kubectl's SELECTOR column shows them.</summary>
    public static string Format(JsonObject? selector)
    {
        if (selector is null)
        {
            return "<none>";
        }
        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={value?.GetValue<string>()}"));
        }
        foreach (var expression in selector.ObjectsAt("matchExpressions"))
        {
            var key = expression.StringAt("key") ?? "";
            var values = string.Join(",", (expression["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).Order(StringComparer.Ordinal));
            requirements.Add((key, expression.StringAt("operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "DoesNotExist" => $"!{key}",
                _ => key,
            }));
        }
        return requirements.Count == 0 ? "<none>" : string.Join(",", requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }
}
