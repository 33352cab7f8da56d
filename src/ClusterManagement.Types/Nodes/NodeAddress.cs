namespace ClusterManagement.Nodes;

public sealed class NodeAddress
{
    public required string Type { get; init; }
    public required string Address { get; init; }

    public override string ToString() => $"{Type}={Address}";
}
