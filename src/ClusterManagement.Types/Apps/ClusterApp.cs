namespace ClusterManagement.Apps;

/// <summary>A Deployment, with the columns of kubectl get deploy -o wide and what lies behind them.</summary>
public sealed class ClusterApp
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }

    /// <summary>Ready replicas over desired, as kubectl's READY column: "3/3".</summary>
    public required string Ready { get; init; }
    public required int Replicas { get; init; }
    public required int ReadyReplicas { get; init; }
    public required int UpToDate { get; init; }
    public required int Available { get; init; }
    public required TimeSpan Age { get; init; }
    public required DateTime Created { get; init; }
    public required string[] Containers { get; init; }
    public required string[] Images { get; init; }

    /// <summary>The deployment.kubernetes.io/revision annotation; null before the controller has seen the app.</summary>
    public long? Revision { get; init; }
    public required bool Paused { get; init; }

    /// <summary>The label selector as kubectl prints it: app=web,tier in (a,b).</summary>
    public required string Selector { get; init; }
    public required string Strategy { get; init; }
    public string? ChangeCause { get; init; }
    public required AppCondition[] Conditions { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required IReadOnlyDictionary<string, string> Annotations { get; init; }
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
