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
        var unschedulable = node.Spec?.Unschedulable == true;
        var readiness = ReadinessOf(status?.Conditions);
        return new ClusterNode
        {
            Name = node.Metadata.Name,
            Status = StatusText(readiness, unschedulable),
            Readiness = readiness,
            Roles = RolesOf(node.Metadata.Labels),
            Created = DateTime.SpecifyKind(node.Metadata.CreationTimestamp ?? DateTime.MinValue, DateTimeKind.Utc),
            Age = IsoDuration.Format(Clock.AgeOf(node.Metadata.CreationTimestamp)),
            Version = NullIfEmpty(status?.NodeInfo?.KubeletVersion),
            InternalIP = FirstAddress(status?.Addresses, "InternalIP"),
            ExternalIP = FirstAddress(status?.Addresses, "ExternalIP"),
            Hostname = FirstAddress(status?.Addresses, "Hostname"),
            OSImage = NullIfEmpty(status?.NodeInfo?.OsImage),
            KernelVersion = NullIfEmpty(status?.NodeInfo?.KernelVersion),
            ContainerRuntime = NullIfEmpty(status?.NodeInfo?.ContainerRuntimeVersion),
            Architecture = NullIfEmpty(status?.NodeInfo?.Architecture),
            OperatingSystem = NullIfEmpty(status?.NodeInfo?.OperatingSystem),
            Unschedulable = unschedulable,
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
            PodCIDRs = PodCidrsOf(node.Spec),
            Labels = Dictionaries.Sorted(node.Metadata.Labels),
            Annotations = Dictionaries.Sorted(node.Metadata.Annotations),
            Capacity = Dictionaries.Sorted(status?.Capacity, q => q.ToString()),
            Allocatable = Dictionaries.Sorted(status?.Allocatable, q => q.ToString()),
            ResourceVersion = node.Metadata.ResourceVersion,
        };
    }

    /// <summary>kubectl only looks at the Ready condition: True is Ready, anything else NotReady, none at all Unknown.</summary>
    internal static NodeReadiness ReadinessOf(IList<V1NodeCondition>? conditions)
    {
        var ready = conditions?.LastOrDefault(c => c.Type == "Ready");
        if (ready is null)
        {
            return NodeReadiness.Unknown;
        }

        return ready.Status == "True" ? NodeReadiness.Ready : NodeReadiness.NotReady;
    }

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

    private static string[] PodCidrsOf(V1NodeSpec? spec)
    {
        if (spec?.PodCIDRs is { Count: > 0 } cidrs)
        {
            return [.. cidrs];
        }

        return string.IsNullOrEmpty(spec?.PodCIDR) ? [] : [spec.PodCIDR];
    }

    private static string? FirstAddress(IList<V1NodeAddress>? addresses, string type) =>
        addresses?.FirstOrDefault(a => a.Type == type)?.Address;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DateTime? Utc(DateTime? value) => value is null ? null : DateTime.SpecifyKind(value.Value, DateTimeKind.Utc);
}
