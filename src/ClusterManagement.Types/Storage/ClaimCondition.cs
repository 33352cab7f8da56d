namespace ClusterManagement.Storage;

/// <summary>A claim condition such as Resizing or FileSystemResizePending.</summary>
public sealed class ClaimCondition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTime? LastTransitionTime { get; init; }

    public override string ToString() => $"{Type}={Status}";
}
