using ClusterManagement.Connection;

namespace ClusterManagement.Apps;

/// <summary>A Deployment, with the columns of kubectl get deploy -o wide and what lies behind them.</summary>
public sealed class ClusterApp : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <summary>Ready replicas over desired, as kubectl's READY column: "3/3".</summary>
    public required string Ready { get; init; }
    public required int Replicas { get; init; }
    public required int ReadyReplicas { get; init; }
    public required int UpToDate { get; init; }
    public required int Available { get; init; }
    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }
    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }
    public required ValueList<string> Containers { get; init; }
    public required ValueList<string> Images { get; init; }

    /// <summary>The deployment.kubernetes.io/revision annotation; null before the controller has seen the app.</summary>
    public long? Revision { get; init; }
    public required bool Paused { get; init; }

    /// <summary>The label selector as kubectl prints it: app=web,tier in (a,b).</summary>
    public required string Selector { get; init; }
    public required string Strategy { get; init; }
    public string? ChangeCause { get; init; }
    public required ValueList<AppCondition> Conditions { get; init; }
    public required ValueMap Labels { get; init; }
    public required ValueMap Annotations { get; init; }
    public string? ResourceVersion { get; init; }
}

public sealed class AppCondition
{
    public required string Type { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTime? LastUpdateTime { get; init; }
    public DateTime? LastTransitionTime { get; init; }

    public override string ToString() => $"{Type}={Status}";
}
