using System.Collections;
using System.Collections.ObjectModel;

namespace ClusterManagement.Collections;

/// <summary>
/// A read-only string map property of an output type (labels, annotations, parameters), sorted by key.
/// Scripts index it ($node.Labels['app']) and ConvertTo-Json writes it as an object; its text is
/// "k=v;k2=v2", so that Export-Csv writes that where a dictionary would write its type name.
/// </summary>
public sealed class ValueMap : ReadOnlyDictionary<string, string>, IEnumerable
{
    public ValueMap(IEnumerable<KeyValuePair<string, string>> entries)
        : base(new SortedDictionary<string, string>(entries.ToDictionary(), StringComparer.Ordinal))
    {
    }

    public static new ValueMap Empty { get; } = new([]);

    /// <summary>Lets scripts give a map as @{ key = 'value' } when they build an output type themselves.</summary>
    public static implicit operator ValueMap(Hashtable entries) =>
        new(entries.Cast<DictionaryEntry>().Select(e => KeyValuePair.Create(e.Key.ToString()!, e.Value?.ToString() ?? string.Empty)));

    public override string ToString() => string.Join(";", Entries());

    /// <summary>
    /// PowerShell's fallback list (a second type in one output, where list views are not used) prints
    /// what this enumerates: "k=v" entries instead of "[k, v]" pairs. ConvertTo-Json and scripts go
    /// through IDictionary and the generic enumerator, which still give the pairs.
    /// </summary>
    IEnumerator IEnumerable.GetEnumerator() => Entries().GetEnumerator();

    private IEnumerable<string> Entries() => this.Select(p => $"{p.Key}={p.Value}");
}
