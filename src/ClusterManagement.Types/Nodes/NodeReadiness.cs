namespace ClusterManagement.Nodes;

/// <summary>The Ready condition as kubectl's STATUS column reads it.</summary>
public enum NodeReadiness
{
    Ready,
    NotReady,
    Unknown,
}
