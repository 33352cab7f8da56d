namespace ClusterManagement.Common;

internal static class Dictionaries
{
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>Copies an SDK map into a sorted one, so output and JSON are stable between runs.</summary>
    public static IReadOnlyDictionary<string, string> Sorted(IDictionary<string, string>? source) =>
        source is null || source.Count == 0 ? Empty : new SortedDictionary<string, string>(source, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Sorted<T>(IDictionary<string, T>? source, Func<T, string> render) =>
        source is null || source.Count == 0
            ? Empty
            : new SortedDictionary<string, string>(source.ToDictionary(p => p.Key, p => render(p.Value)), StringComparer.Ordinal);
}
