using System.Collections;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Network.EngineNetworks;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Commands.NodeHosts;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;

namespace ClusterManagement.Commands.Network;

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
