using System.Collections;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;
using ClusterManagement.Kubernetes;
using ClusterManagement.Network.EngineNetworks;
using ClusterManagement.NodeHosts;
using ClusterManagement.Nodes;

namespace ClusterManagement.Network;

/// <summary>Completes the networks of the engine of the node already on the command line; without one, or without an SSH key in reach, nothing.</summary>
public sealed class EngineNetworkNameCompleter : ClusterNameCompleter
{
    private protected override async Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken)
    {
        var node = boundParameters["Node"] switch
        {
            string name => name,
            IEnumerable names => names.Cast<object>().FirstOrDefault()?.ToString(),
            _ => null,
        };
        if (node is null)
        {
            return [];
        }

        var access = NodeAccessOptions.FromEnvironment(
            boundParameters["SshUser"] as string,
            boundParameters["SshKeyPath"] as string,
            password: null,
            boundParameters["KnownHostsPath"] as string,
            acceptNewHostKey: false,
            TimeSpan.FromSeconds(2));
        var clusterNode = await new NodeService(connection).GetAsync(node, cancellationToken).ConfigureAwait(false);
        var networks = await new EngineNetworkService(new NodeConnector(connection, access, NullOperationLog.Instance), NullOperationLog.Instance)
            .ListAsync(clusterNode, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        return networks.Select(n => n.Name).ToList();
    }
}
