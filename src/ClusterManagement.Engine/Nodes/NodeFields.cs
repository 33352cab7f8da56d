using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.Nodes;

/// <summary>What a node object says, as read from the API; <see cref="NodeMapper.Assemble"/> derives what kubectl shows.</summary>
internal sealed class NodeFields
{
    public required string Name { get; init; }
    public DateTime? Created { get; init; }
    public string? ResourceVersion { get; init; }
    public IDictionary<string, string>? Labels { get; init; }
    public IDictionary<string, string>? Annotations { get; init; }
    public bool Unschedulable { get; init; }
    public required NodeCondition[] Conditions { get; init; }
    public required NodeAddress[] Addresses { get; init; }
    public required NodeTaint[] Taints { get; init; }
    public IList<string>? PodCIDRs { get; init; }
    public string? PodCIDR { get; init; }
    public string? KubeletVersion { get; init; }
    public string? OSImage { get; init; }
    public string? KernelVersion { get; init; }
    public string? ContainerRuntime { get; init; }
    public string? Architecture { get; init; }
    public string? OperatingSystem { get; init; }
    public IDictionary<string, string>? Capacity { get; init; }
    public IDictionary<string, string>? Allocatable { get; init; }
}
