using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ClusterManagement.Collections;

/// <summary>
/// A read-only list property of an output type. Scripts use it as an array (index, -contains, Count,
/// pipeline) and ConvertTo-Json writes it as one; its text is the items joined by ';', so that
/// Export-Csv writes "a;b" where an array would write "System.String[]".
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : ReadOnlyCollection<T>
{
    public ValueList(IList<T> items)
        : base(items)
    {
    }

    public static new ValueList<T> Empty { get; } = new([]);

    [return: NotNullIfNotNull(nameof(items))]
    public static implicit operator ValueList<T>?(T[]? items) => items is null ? null : new(items);

    public override string ToString() => string.Join(";", this);
}

public static class ValueList
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? ValueList<T>.Empty : new(items.ToArray());
}
