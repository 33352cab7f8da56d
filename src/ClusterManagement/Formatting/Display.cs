using ClusterManagement.Common;

namespace ClusterManagement.Formatting;

/// <summary>
/// Renderings the format files call, so that views show kubectl's text (AGE "5d3h", "&lt;none&gt;")
/// while the objects keep real values (TimeSpan, null, arrays) for scripts.
/// </summary>
public static class Display
{
    public static string Age(TimeSpan age) => HumanDuration.Format(age);

    public static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    public static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;

    public static string List(IEnumerable<string>? values)
    {
        var text = values is null ? string.Empty : string.Join(",", values);
        return text.Length == 0 ? "<none>" : text;
    }

    public static string Marker(bool current) => current ? "*" : string.Empty;

    /// <summary>key=value pairs on one line, like kubectl's --show-labels.</summary>
    public static string Map(IReadOnlyDictionary<string, string>? values) =>
        values is null || values.Count == 0 ? "<none>" : string.Join(",", values.Select(p => $"{p.Key}={p.Value}"));

    /// <summary>kubectl's STATUS for a pod being deleted is Terminating, whatever its phase.</summary>
    public static string PodPhase(string phase, bool terminating) => terminating ? "Terminating" : phase;

    /// <summary>Kind/name of a pod's controller; static pods show as mirror pods.</summary>
    public static string Controller(string? kind, string? name, bool mirror) =>
        mirror ? $"{kind}/{name} (mirror)" : string.IsNullOrEmpty(kind) ? "<none>" : $"{kind}/{name}";

    public static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds:0.0}s";

    /// <summary>Objects by their own text, comma separated: pods left running by a drain, say.</summary>
    public static string Joined(object[]? items) =>
        items is null || items.Length == 0 ? "<none>" : string.Join(", ", items.Select(i => i?.ToString()));
}
