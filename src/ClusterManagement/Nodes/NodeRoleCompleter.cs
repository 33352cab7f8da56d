using System.Collections;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

/// <summary>The roles the cluster's nodes carry, as Get-ClusterNode -Role and New-ClusterNode -Role name them.</summary>
public sealed class NodeRoleCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new NodeService(connection).ListRolesAsync(cancellationToken);
}
