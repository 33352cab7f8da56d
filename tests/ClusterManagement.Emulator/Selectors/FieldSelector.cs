using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Selectors;

/// <summary>
/// fieldSelector terms (<c>field=value</c>, <c>==</c>, <c>!=</c>) over the fields a kind declares
/// selectable; like the real server, any other field is a 400 rather than "matches nothing".
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(Func<JsonObject, string> Read, string Value, bool Negated)> _terms;

    private FieldSelector(IReadOnlyList<(Func<JsonObject, string>, string, bool)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The single object name a selector pins, so watches and lists can be narrowed cheaply.</summary>
    public string? Name { get; private init; }

    public static FieldSelector Parse(string? text, ResourceKind kind)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<(Func<JsonObject, string>, string, bool)>();
        string? name = null;
        foreach (var term in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negated = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negated ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2)
            {
                throw Status.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            }
            var (field, value) = (parts[0].Trim(), parts[1].Trim());
            terms.Add((Reader(field, kind), value, negated));
            if (field == "metadata.name" && !negated)
            {
                name = value;
            }
        }
        return new FieldSelector(terms) { Name = name };
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (t.Read(obj) == t.Value) != t.Negated);

    private static Func<JsonObject, string> Reader(string field, ResourceKind kind) => field switch
    {
        "metadata.name" => o => o.Name(),
        "metadata.namespace" => o => o.Namespace() ?? "",
        _ when kind.SelectableFields.TryGetValue(field, out var read) => read,
        _ => throw Status.BadRequest($"field label not supported: {field}"),
    };
}
