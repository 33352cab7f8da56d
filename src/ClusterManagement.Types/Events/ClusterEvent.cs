using ClusterManagement.Connection;

namespace ClusterManagement.Events;

/// <summary>
/// One event series as <c>kubectl events</c> shows it: a repeated event (core/v1 count, events.k8s.io/v1
/// series.count) is one object with its count and first and last time seen.
/// </summary>
public sealed class ClusterEvent : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    /// <summary>The Event object's own name.</summary>
    public required string Name { get; init; }

    /// <summary>The namespace the Event is stored in (default for events about cluster-scoped objects).</summary>
    public required string Namespace { get; init; }

    /// <summary>When the series was last observed (UTC); kubectl events sorts by this.</summary>
    public required DateTime LastSeen { get; init; }

    /// <summary>When the series was first observed (UTC).</summary>
    public required DateTime FirstSeen { get; init; }

    /// <summary>How often the event happened: 1 for a single event.</summary>
    public required int Count { get; init; }

    public required ClusterEventType Type { get; init; }
    public required string Reason { get; init; }

    /// <summary>The involved object as kubectl events prints it: lower-case kind/name (pod/web-7d4b9c6f5-x2x8q).</summary>
    public required string Object { get; init; }

    public string? Message { get; init; }

    /// <summary>The component that reported it (reportingController, else source.component), with the host for kubelets.</summary>
    public string? Source { get; init; }

    /// <summary>What was done or failed (events.k8s.io action), null when the reporter gave none.</summary>
    public string? Action { get; init; }

    public required ClusterEventObject InvolvedObject { get; init; }

    public override string ToString() => $"{Type} {Reason} {Object}: {Message}";
}

/// <summary>The object an event is about (regarding / involvedObject).</summary>
public sealed class ClusterEventObject
{
    public required string Kind { get; init; }
    public required string Name { get; init; }

    /// <summary>Null for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }
    public string? ApiVersion { get; init; }
    public string? Uid { get; init; }

    /// <summary>The part of the object the event is about, such as spec.containers{web}.</summary>
    public string? FieldPath { get; init; }

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}

public enum ClusterEventType : long
{
    Normal,
    Warning,
}
