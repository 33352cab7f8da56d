using System.Collections;
using ClusterManagement.Infrastructure;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Nodes;

public sealed class NodeNameCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new NodeService(connection).ListNamesAsync(cancellationToken);
}
