namespace ClusterManagement.Nodes;

public sealed class NodeTaint
{
    public required string Key { get; init; }
    public string? Value { get; init; }
    public required string Effect { get; init; }

    /// <summary>kubectl's notation, <c>key=value:Effect</c>, which is also what -Taint parameters accept.</summary>
    public override string ToString() => string.IsNullOrEmpty(Value) ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}
