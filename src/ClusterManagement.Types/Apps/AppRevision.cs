using ClusterManagement.Connection;

namespace ClusterManagement.Apps;

/// <summary>One row of kubectl rollout history: a ReplicaSet of the app and the revision it holds.</summary>
public sealed class AppRevision : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string App { get; init; }
    public required string Namespace { get; init; }
    public required long Revision { get; init; }
    public required ValueList<string> Images { get; init; }

    /// <summary>The ReplicaSet's kubernetes.io/change-cause annotation; null when none was recorded.</summary>
    public string? ChangeCause { get; init; }
    public required DateTime Created { get; init; }
    public required string ReplicaSet { get; init; }
    public required int Replicas { get; init; }

    /// <summary>True for the ReplicaSet whose template the app runs now.</summary>
    public required bool IsCurrent { get; init; }

    /// <summary>Revisions this ReplicaSet held before a rollback reused it (deployment.kubernetes.io/revision-history).</summary>
    public required ValueList<long> PreviousRevisions { get; init; }
}
