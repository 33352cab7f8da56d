namespace ClusterManagement.Nodes;

/// <summary>The Ready condition as kubectl's STATUS column reads it.</summary>
// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum NodeReadiness : long
{
    Ready,
    NotReady,
    Unknown,
}
