using ClusterManagement.Connection;

namespace ClusterManagement.Nodes;

/// <summary>
/// A pod as seen from the node it runs on: the columns of <c>kubectl get pods -o wide</c> plus what
/// drain decides on (its controller, mirror pod, emptyDir local storage).
/// </summary>
public sealed class NodePod : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string? Node { get; init; }

    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    public required string Phase { get; init; }

    /// <summary>kubectl's READY text: ready containers / containers.</summary>
    public required string Ready { get; init; }

    public required int Restarts { get; init; }
    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }
    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }
    public string? IP { get; init; }

    /// <summary>Kind of the managing controller (ReplicaSet, DaemonSet, StatefulSet, Job, Node for static pods); null when none.</summary>
    public string? ControllerKind { get; init; }

    public string? ControllerName { get; init; }

    /// <summary>The kubelet's mirror of a static pod: the API cannot delete it, drain leaves it alone.</summary>
    public required bool IsMirror { get; init; }

    /// <summary>Has an emptyDir volume, whose data an eviction destroys.</summary>
    public required bool HasLocalStorage { get; init; }

    /// <summary>Deletion has been requested (deletionTimestamp is set).</summary>
    public required bool IsTerminating { get; init; }

    public required string Uid { get; init; }
    public required ValueMap Labels { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";
}
