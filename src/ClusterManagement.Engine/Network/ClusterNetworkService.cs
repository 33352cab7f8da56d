using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Network;
using k8s;

namespace ClusterManagement.Engine.Network;

/// <summary>The cluster network as the API reveals it: node addresses, pod ranges, the service range.</summary>
internal sealed class ClusterNetworkService(ClusterConnection connection)
{
    public async Task<(IReadOnlyList<NodeNetwork> Nodes, ClusterNetworkSummary Summary)> ReadAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        var nodes = new List<ClusterNode>();
        await foreach (var node in new NodeService(connection).ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            nodes.Add(node);
        }

        var networks = ClusterNetworkAnalysis.Analyze(nodes);
        var serviceIp = await KubernetesServiceIpAsync(cancellationToken).ConfigureAwait(false);
        var serviceCidrs = await ServiceCidrsAsync(log, cancellationToken).ConfigureAwait(false);
        return (networks, ClusterNetworkAnalysis.Summarize(networks, serviceIp, serviceCidrs));
    }

    private async Task<string?> KubernetesServiceIpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var service = await KubeApi.Call(
                ct => connection.Client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default", cancellationToken: ct),
                new ResourceRef("Service", "kubernetes", "default"),
                cancellationToken).ConfigureAwait(false);
            return service.Spec?.ClusterIP;
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.NotFound or ClusterErrorKind.Forbidden)
        {
            return null;
        }
    }

    /// <summary>Null when the server has no ServiceCIDR API (before 1.33) or it may not be read.</summary>
    private async Task<string[]?> ServiceCidrsAsync(IOperationLog log, CancellationToken cancellationToken)
    {
        try
        {
            var list = await KubeApi.Call(
                ct => connection.Client.NetworkingV1.ListServiceCIDRAsync(cancellationToken: ct),
                new ResourceRef("ServiceCIDR", null),
                cancellationToken).ConfigureAwait(false);
            return list.Items.SelectMany(s => s.Spec?.Cidrs ?? []).Distinct().ToArray();
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.NotFound or ClusterErrorKind.Forbidden)
        {
            log.Verbose($"The service range cannot be read from this API server ({e.ServerMessage}); only the kubernetes Service address is known.");
            return null;
        }
    }
}
