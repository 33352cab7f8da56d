using ClusterManagement.Common;
namespace ClusterManagement.Engine.Common;

internal static class Dictionaries
{
    /// <summary>Copies an SDK map into the output types' sorted map, so output and JSON are stable between runs.</summary>
    public static ValueMap Sorted(IDictionary<string, string>? source) =>
        source is null || source.Count == 0 ? ValueMap.Empty : new ValueMap(source);
}
