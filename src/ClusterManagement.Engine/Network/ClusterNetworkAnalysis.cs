using System.Net;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network;

/// <summary>Finds what an admin must know about pod ranges: nodes without one, and ranges that overlap.</summary>
internal static class ClusterNetworkAnalysis
{
    public static IReadOnlyList<NodeNetwork> Analyze(IReadOnlyList<ClusterNode> nodes)
    {
        var ranges = nodes
            .SelectMany(n => n.PodCIDRs.Select(c => (Node: n.Name, Text: c, Network: TryParse(c))))
            .ToList();

        return nodes.Select(node =>
        {
            var problems = new List<string>();
            if (node.PodCIDRs.Count == 0)
            {
                problems.Add("no pod CIDR assigned: pods on this node get no addresses until one is");
            }

            foreach (var own in ranges.Where(r => r.Node == node.Name))
            {
                if (own.Network is not { } network)
                {
                    problems.Add($"pod CIDR '{own.Text}' is not a valid CIDR");
                    continue;
                }

                foreach (var other in ranges.Where(r => r.Node != node.Name && r.Network is { } o && Cidr.Overlaps(network, o)))
                {
                    problems.Add($"pod CIDR {own.Text} overlaps {other.Text} of node {other.Node}");
                }
            }

            return new NodeNetwork
            {
                Node = node.Name,
                InternalIP = node.InternalIP,
                ExternalIP = node.ExternalIP,
                Hostname = node.Hostname,
                InternalIPs = node.Addresses.Where(a => a.Type == "InternalIP").Select(a => a.Address).ToArray(),
                PodCIDRs = node.PodCIDRs,
                Ready = node.Readiness == NodeReadiness.Ready,
                Problems = [.. problems],
            };
        }).ToList();
    }

    public static ClusterNetworkSummary Summarize(IReadOnlyList<NodeNetwork> nodes, string? kubernetesServiceIP, string[]? serviceCidrs)
    {
        var problems = nodes.SelectMany(n => n.Problems.Select(p => $"{n.Node}: {p}")).ToList();

        foreach (var node in nodes)
        {
            foreach (var cidr in node.PodCIDRs)
            {
                var pods = TryParse(cidr);
                var service = pods is null ? null : serviceCidrs?.Select(TryParse).FirstOrDefault(s => s is { } range && Cidr.Overlaps(range, pods.Value));
                if (service is not null)
                {
                    problems.Add($"{node.Node}: pod CIDR {cidr} overlaps the service range {service}");
                }
            }
        }

        return new ClusterNetworkSummary
        {
            KubernetesServiceIP = kubernetesServiceIP,
            ServiceCIDRs = serviceCidrs,
            Nodes = nodes.Count,
            NodesWithoutPodCIDR = nodes.Count(n => n.PodCIDRs.Count == 0),
            PodCIDRs = nodes.SelectMany(n => n.PodCIDRs).Distinct().Order(StringComparer.Ordinal).ToArray(),
            Problems = [.. problems],
        };
    }

    private static IPNetwork? TryParse(string text) => IPNetwork.TryParse(text, out var network) ? network : null;
}
