using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Selectors;

/// <summary>The labelSelector query grammar of k8s.io/apimachinery/pkg/labels (=, ==, !=, in, notin, exists, !key).</summary>
public sealed partial class LabelSelector
{
    private readonly IReadOnlyList<Func<JsonObject?, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<JsonObject?, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    /// <summary>Parses a selector; a malformed one is a 400 like the real server's.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        return new LabelSelector(SplitTopLevel(text).Select(ParseRequirement).ToArray());
    }

    public bool Matches(JsonObject obj) => _requirements.All(r => r(obj.Labels()));

    private static Func<JsonObject?, bool> ParseRequirement(string term)
    {
        if (SetTerm().Match(term) is { Success: true } set)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return set.Groups["op"].Value == "in"
                ? labels => Value(labels, key) is { } v && values.Contains(v)
                : labels => Value(labels, key) is not { } v || !values.Contains(v);
        }
        if (EqualityTerm().Match(term) is { Success: true } eq)
        {
            var key = eq.Groups["key"].Value;
            var value = eq.Groups["value"].Value.Trim();
            return eq.Groups["op"].Value == "!="
                ? labels => Value(labels, key) != value
                : labels => Value(labels, key) == value;
        }
        if (ExistsTerm().Match(term) is { Success: true } exists)
        {
            var key = exists.Groups["key"].Value;
            return exists.Groups["not"].Success
                ? labels => Value(labels, key) is null
                : labels => Value(labels, key) is not null;
        }
        throw Status.BadRequest($"unable to parse requirement: found '{term}', expected: key, !key, key=value, key!=value, key in (values) or key notin (values)");
    }

    private static string? Value(JsonObject? labels, string key) => labels.StringAt(key);

    /// <summary>Commas separate requirements except inside the parentheses of in/notin.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var term = text[start..i].Trim();
                if (term.Length > 0)
                {
                    yield return term;
                }
                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)\s+(?<op>in|notin)\s*\((?<values>[^)]*)\)$")]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?<op>==|=|!=)\s*(?<value>[-A-Za-z0-9_.]*)$")]
    private static partial Regex EqualityTerm();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[A-Za-z0-9][-A-Za-z0-9_./]*)$")]
    private static partial Regex ExistsTerm();
}
