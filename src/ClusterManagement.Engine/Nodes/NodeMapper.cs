using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Nodes;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>Turns the API's V1Node into a <see cref="ClusterNode"/> with kubectl's printers.go rules.</summary>
internal static class NodeMapper
{
    private const string RoleLabelPrefix = "node-role.kubernetes.io/";
    private const string LegacyRoleLabel = "kubernetes.io/role";

    public static ClusterNode ToClusterNode(V1Node node)
    {
        var status = node.Status;
        var info = status?.NodeInfo;
        return Assemble(new NodeFields
        {
            Name = node.Metadata.Name,
            Created = node.Metadata.CreationTimestamp,
            ResourceVersion = node.Metadata.ResourceVersion,
            Labels = node.Metadata.Labels,
            Annotations = node.Metadata.Annotations,
            Unschedulable = node.Spec?.Unschedulable == true,
            Conditions = (status?.Conditions ?? []).Select(c => new NodeCondition
            {
                Type = c.Type,
                Status = c.Status,
                Reason = c.Reason,
                Message = c.Message,
                LastHeartbeatTime = Utc(c.LastHeartbeatTime),
                LastTransitionTime = Utc(c.LastTransitionTime),
            }).ToArray(),
            Addresses = (status?.Addresses ?? []).Select(a => new NodeAddress { Type = a.Type, Address = a.Address }).ToArray(),
            Taints = (node.Spec?.Taints ?? []).Select(t => new NodeTaint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToArray(),
            PodCIDRs = node.Spec?.PodCIDRs,
            PodCIDR = node.Spec?.PodCIDR,
            KubeletVersion = info?.KubeletVersion,
            OSImage = info?.OsImage,
            KernelVersion = info?.KernelVersion,
            ContainerRuntime = info?.ContainerRuntimeVersion,
            Architecture = info?.Architecture,
            OperatingSystem = info?.OperatingSystem,
            Capacity = status?.Capacity?.ToDictionary(p => p.Key, p => p.Value.ToString()),
            Allocatable = status?.Allocatable?.ToDictionary(p => p.Key, p => p.Value.ToString()),
        });
    }

    /// <summary>
    /// The one place a node's shown values are derived, whichever reader took the fields from the API's answer
    /// (the SDK model here, the node list's JSON in <see cref="NodeListReader"/>).
    /// </summary>
    internal static ClusterNode Assemble(NodeFields node)
    {
        var readiness = ReadinessOf(node.Conditions);
        return new ClusterNode
        {
            Name = node.Name,
            Status = StatusText(readiness, node.Unschedulable),
            Readiness = readiness,
            Roles = RolesOf(node.Labels),
            Created = DateTime.SpecifyKind(node.Created ?? DateTime.MinValue, DateTimeKind.Utc),
            Age = IsoDuration.Format(Clock.AgeOf(node.Created)),
            Version = NullIfEmpty(node.KubeletVersion),
            InternalIP = FirstAddress(node.Addresses, "InternalIP"),
            ExternalIP = FirstAddress(node.Addresses, "ExternalIP"),
            Hostname = FirstAddress(node.Addresses, "Hostname"),
            OSImage = NullIfEmpty(node.OSImage),
            KernelVersion = NullIfEmpty(node.KernelVersion),
            ContainerRuntime = NullIfEmpty(node.ContainerRuntime),
            Architecture = NullIfEmpty(node.Architecture),
            OperatingSystem = NullIfEmpty(node.OperatingSystem),
            Unschedulable = node.Unschedulable,
            Conditions = node.Conditions,
            Addresses = node.Addresses,
            Taints = node.Taints,
            PodCIDRs = node.PodCIDRs is { Count: > 0 } cidrs ? [.. cidrs] : string.IsNullOrEmpty(node.PodCIDR) ? [] : [node.PodCIDR],
            Labels = Dictionaries.Sorted(node.Labels),
            Annotations = Dictionaries.Sorted(node.Annotations),
            Capacity = Dictionaries.Sorted(node.Capacity),
            Allocatable = Dictionaries.Sorted(node.Allocatable),
            ResourceVersion = node.ResourceVersion,
        };
    }

    /// <summary>kubectl only looks at the Ready condition: True is Ready, anything else NotReady, none at all Unknown.</summary>
    internal static NodeReadiness ReadinessOf(IList<V1NodeCondition>? conditions) =>
        conditions?.LastOrDefault(c => c.Type == "Ready") is { } ready ? Readiness(ready.Status) : NodeReadiness.Unknown;

    private static NodeReadiness ReadinessOf(NodeCondition[] conditions) =>
        conditions.LastOrDefault(c => c.Type == "Ready") is { } ready ? Readiness(ready.Status) : NodeReadiness.Unknown;

    private static NodeReadiness Readiness(string? readyStatus) => readyStatus == "True" ? NodeReadiness.Ready : NodeReadiness.NotReady;

    private static string StatusText(NodeReadiness readiness, bool unschedulable)
    {
        var text = readiness.ToString();
        return unschedulable ? text + ",SchedulingDisabled" : text;
    }

    internal static string[] RolesOf(IDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return [];
        }

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (key.StartsWith(RoleLabelPrefix, StringComparison.Ordinal) && key.Length > RoleLabelPrefix.Length)
            {
                roles.Add(key[RoleLabelPrefix.Length..]);
            }
            else if (key == LegacyRoleLabel && !string.IsNullOrEmpty(value))
            {
                roles.Add(value);
            }
        }

        return [.. roles];
    }

    private static string? FirstAddress(NodeAddress[] addresses, string type) =>
        addresses.FirstOrDefault(a => a.Type == type)?.Address;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    internal static DateTime? Utc(DateTime? value) => value is null ? null : DateTime.SpecifyKind(value.Value, DateTimeKind.Utc);
}
