using ClusterManagement.Connection;

namespace ClusterManagement.Nodes;

/// <summary>What one drain did: pods evicted, left alone (with why), and those that stopped it.</summary>
public sealed class NodeDrainResult : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Node { get; init; }

    /// <summary>namespace/name of every pod evicted and gone.</summary>
    public required ValueList<string> Evicted { get; init; }

    public required ValueList<DrainPodStatus> Skipped { get; init; }

    /// <summary>Pods the drain could not remove, each with its reason; empty when the drain finished.</summary>
    public required ValueList<DrainPodStatus> Failed { get; init; }

    /// <summary>How long it took, as an ISO 8601 duration in whole seconds (PT21S); [System.Xml.XmlConvert]::ToTimeSpan reads it.</summary>
    public required string Duration { get; init; }

    public bool Completed => Failed.Count == 0;

    public override string ToString() => Node;
}
