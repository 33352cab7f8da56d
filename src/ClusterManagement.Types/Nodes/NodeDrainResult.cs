namespace ClusterManagement.Nodes;

/// <summary>What one drain did: pods evicted, left alone (with why), and those that stopped it.</summary>
public sealed class NodeDrainResult
{
    public required string Node { get; init; }

    /// <summary>namespace/name of every pod evicted and gone.</summary>
    public required string[] Evicted { get; init; }

    public required DrainPodStatus[] Skipped { get; init; }

    /// <summary>Pods the drain could not remove, each with its reason; empty when the drain finished.</summary>
    public required DrainPodStatus[] Failed { get; init; }

    public required TimeSpan Duration { get; init; }

    public bool Completed => Failed.Length == 0;

    public override string ToString() => Node;
}
