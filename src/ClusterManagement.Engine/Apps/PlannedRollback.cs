using k8s.Models;

using ClusterManagement.Apps;

namespace ClusterManagement.Engine.Apps;

/// <summary>A rollback worked out but not sent, so the caller can say what it will do and ask first.</summary>
internal sealed class PlannedRollback
{
    public required string App { get; init; }
    public required string Namespace { get; init; }
    public required long FromRevision { get; init; }
    public required long TargetRevision { get; init; }
    public required string[] TargetImages { get; init; }

    /// <summary>Set when there is nothing to do: the app already runs the target template.</summary>
    public string? SkipMessage { get; init; }

    internal V1Deployment Deployment { get; init; } = null!;
    internal RollbackPlan Plan { get; init; } = null!;
}
