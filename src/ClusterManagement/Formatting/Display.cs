using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Commands.Formatting;

/// <summary>
/// Renderings the format files call, so that views show kubectl's text (AGE "5d3h", "&lt;none&gt;")
/// while the objects keep real values (creation times, null, lists) for scripts.
/// </summary>
public static class Display
{
    /// <summary>kubectl's AGE of an object created then; computed when shown, so a table printed later is not stale.</summary>
    public static string Age(DateTime created) => HumanDuration.Format(Clock.AgeOf(created));

    /// <summary>kubectl events' LAST SEEN: the age of the last occurrence, and of a repeated event's first ("2m (x3 over 5m)").</summary>
    public static string Seen(DateTime last, int count, DateTime first) =>
        count > 1 ? $"{Age(last)} (x{count} over {Age(first)})" : Age(last);

    /// <summary>An ISO 8601 duration as kubectl prints ages (PT3M12S as 3m12s).</summary>
    public static string Duration(string? duration) =>
        string.IsNullOrEmpty(duration) ? "<none>" : HumanDuration.Format(IsoDuration.Parse(duration));

    /// <summary>A point in time as ISO 8601 UTC, as JSON carries it; the culture's default would show it local and ambiguous.</summary>
    public static string Time(DateTime? time) =>
        time is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "<none>";

    public static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    public static string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;

    /// <summary>
    /// An address without its path: the engine table shows whom the module logs in as where
    /// (ssh://admin@host:22); the engine's socket behind it is the same on every node and shows in
    /// the list view.
    /// </summary>
    public static string WithoutPath(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.AbsolutePath.Length > 1
            ? address![..^uri.AbsolutePath.Length]
            : OrNone(address);

    public static string List(IEnumerable<string>? values)
    {
        var text = values is null ? string.Empty : string.Join(",", values);
        return text.Length == 0 ? "<none>" : text;
    }

    private static readonly (string Mode, string Short)[] AccessModeNames =
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")];

    /// <summary>
    /// kubectl's ACCESS MODES (RWO,RWX ...): its fixed order, whatever the object's; the long names take
    /// a third of a 120-column table.
    /// </summary>
    public static string AccessModes(IEnumerable<string>? modes)
    {
        var present = modes?.ToHashSet(StringComparer.Ordinal) ?? [];
        var known = AccessModeNames.Where(m => present.Remove(m.Mode)).Select(m => m.Short).ToList();
        return List([.. known, .. present.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// An engine upgrade's package lists ("docker.io V, containerd V") reduced to what changes, so the
    /// row fits a console: "containerd 1.6.20~ds1-1+deb12u2 -> 1.6.20~ds1-1+deb12u3".
    /// </summary>
    public static string PackageChange(string? from, string to)
    {
        var before = PackageVersions(from);
        var changes = PackageVersions(to)
            .Where(p => !before.TryGetValue(p.Key, out var old) || old != p.Value)
            .Select(p => $"{p.Key} {before.GetValueOrDefault(p.Key, "(none)")} -> {p.Value}")
            .ToList();
        return changes.Count == 0 ? "none" : string.Join(", ", changes);
    }

    private static Dictionary<string, string> PackageVersions(string? list) =>
        (list ?? string.Empty).Split(", ", StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);

    public static string Marker(bool current) => current ? "*" : string.Empty;

    /// <summary>key=value pairs on one line, like kubectl's --show-labels.</summary>
    public static string Map(IReadOnlyDictionary<string, string>? values) =>
        values is null || values.Count == 0 ? "<none>" : string.Join(",", values.Select(p => $"{p.Key}={p.Value}"));

    /// <summary>kubectl's STATUS for a pod being deleted is Terminating, whatever its phase.</summary>
    public static string PodPhase(string phase, bool terminating) => terminating ? "Terminating" : phase;

    /// <summary>Kind/name of a pod's controller; static pods show as mirror pods.</summary>
    public static string Controller(string? kind, string? name, bool mirror) =>
        mirror ? $"{kind}/{name} (mirror)" : string.IsNullOrEmpty(kind) ? "<none>" : $"{kind}/{name}";

    /// <summary>Objects by their own text, comma separated: pods left running by a drain, say.</summary>
    public static string Joined(object[]? items) =>
        items is null || items.Length == 0 ? "<none>" : string.Join(", ", items.Select(i => i?.ToString()));

    /// <summary>The objects a diagnosis concerns, one a line: kind namespace/name: state.</summary>
    public static string Affected(IEnumerable<DiagnosedObject>? objects) =>
        Lines(objects?.Select(o => $"{o.Kind} {(o.Namespace is null ? "" : o.Namespace + "/")}{o.Name}{(o.State is null ? "" : ": " + o.State)}"));

    /// <summary>A diagnosis's evidence, one a line, as kubectl describe shows events: object, reason (xN), message.</summary>
    public static string Evidence(IEnumerable<DiagnosisEvidence>? evidence) =>
        Lines(evidence?.Select(e => $"{e.Source} {e.Object} {e.Reason}{(e.Count > 1 ? $" (x{e.Count})" : "")}: {e.Message}"));

    private static string Lines(IEnumerable<string>? lines) =>
        lines?.ToList() is { Count: > 0 } all ? string.Join(Environment.NewLine, all) : "<none>";
}
