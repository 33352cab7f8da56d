using ClusterManagement.Connection;

namespace ClusterManagement.Nodes;

/// <summary>
/// A Kubernetes node with everything <c>kubectl get nodes -o wide</c> shows, derived the way kubectl
/// derives it, plus the details behind those columns. Values kubectl prints as &lt;none&gt; are null here.
/// </summary>
public sealed class ClusterNode : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Name { get; init; }

    /// <summary>kubectl's STATUS text: Ready, NotReady or Unknown, with ",SchedulingDisabled" when cordoned.</summary>
    public required string Status { get; init; }

    public required NodeReadiness Readiness { get; init; }

    /// <summary>Sorted role names from node-role.kubernetes.io/* and kubernetes.io/role labels.</summary>
    public required ValueList<string> Roles { get; init; }

    /// <summary>Time since Created as an ISO 8601 duration (P44DT3H12M), as of reading; sort and filter by Created.</summary>
    public required string Age { get; init; }

    /// <summary>The object's creationTimestamp (UTC).</summary>
    public required DateTime Created { get; init; }

    /// <summary>The kubelet version.</summary>
    public string? Version { get; init; }

    public string? InternalIP { get; init; }
    public string? ExternalIP { get; init; }
    public string? Hostname { get; init; }
    public string? OSImage { get; init; }
    public string? KernelVersion { get; init; }
    public string? ContainerRuntime { get; init; }
    public string? Architecture { get; init; }
    public string? OperatingSystem { get; init; }
    public bool Unschedulable { get; init; }
    public required ValueList<NodeCondition> Conditions { get; init; }
    public required ValueList<NodeAddress> Addresses { get; init; }
    public required ValueList<NodeTaint> Taints { get; init; }
    public required ValueList<string> PodCIDRs { get; init; }
    public required ValueMap Labels { get; init; }
    public required ValueMap Annotations { get; init; }
    public required ValueMap Capacity { get; init; }
    public required ValueMap Allocatable { get; init; }

    /// <summary>The object's resourceVersion when it was read; later writes use it for optimistic concurrency.</summary>
    public string? ResourceVersion { get; init; }

    public override string ToString() => Name;
}
