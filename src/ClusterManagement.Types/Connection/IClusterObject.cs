namespace ClusterManagement.Connection;

/// <summary>
/// An object read from a cluster. It names the kubeconfig context (and the cluster) it came from, so that
/// the objects of several clusters can be told apart in one result stream, and so that an object piped on
/// goes back to its own cluster (its Context binds the next cmdlet's -Context) whatever the session default.
/// </summary>
public interface IClusterObject
{
    /// <summary>The kubeconfig context the object was read through; null for an object a script built.</summary>
    string? Context { get; set; }

    /// <summary>The cluster that context names in the kubeconfig.</summary>
    string? Cluster { get; set; }
}
