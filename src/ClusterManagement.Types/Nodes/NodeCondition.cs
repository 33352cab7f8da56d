namespace ClusterManagement.Nodes;

public sealed class NodeCondition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTime? LastHeartbeatTime { get; init; }
    public DateTime? LastTransitionTime { get; init; }

    public override string ToString() => $"{Type}={Status}";
}
