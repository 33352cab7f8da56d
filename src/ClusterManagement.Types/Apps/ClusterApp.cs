using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;

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
    public string? Uid { get; init; }

    /// <summary>
    /// From the Deployment's status alone, so it costs nothing and -Detailed never changes it: every desired
    /// replica updated and available, no ReplicaFailure condition and Progressing not False. An app scaled to zero is healthy.
    /// </summary>
    public required bool Healthy { get; init; }

    /// <summary>
    /// What holds the app back, in one line: with -Detailed the reason most of its unhealthy pods share
    /// (ImagePullBackOff with the image, CrashLoopBackOff with the exit code and restarts, Unschedulable with the
    /// scheduler's message, a failing readiness probe), else the failing condition's reason and message; null when none is known.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>With -Detailed, the app's pods that have a problem and what it is (empty when none has); null without -Detailed.</summary>
    public ValueList<UnhealthyPod>? UnhealthyPods { get; init; }
}

/// <summary>One of an app's pods that something holds back, in the words kubectl get pods and describe pod use.</summary>
public sealed class UnhealthyPod
{
    public required string Name { get; init; }

    /// <summary>Null while the pod is not scheduled.</summary>
    public string? Node { get; init; }

    /// <summary>The STATUS kubectl get pods would print: ImagePullBackOff, CrashLoopBackOff, Unschedulable, NotReady...</summary>
    public required string Reason { get; init; }
    public required DiagnosisCause Cause { get; init; }

    /// <summary>The container concerned; null for a pod-level cause (not scheduled).</summary>
    public string? Container { get; init; }
    public string? Image { get; init; }
    public required int Restarts { get; init; }

    /// <summary>The exit code of the container's last termination (crash loops).</summary>
    public int? LastExitCode { get; init; }
    public string? Message { get; init; }

    public override string ToString() => $"{Name}: {Reason}";
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
