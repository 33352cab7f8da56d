using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>Reads nodes. Writes (cordon, drain, labels) live with the operations that need them.</summary>
internal sealed class NodeService(ClusterConnection connection)
{
    public async Task<ClusterNode> GetAsync(string name, CancellationToken cancellationToken)
    {
        var node = await KubeApi.Call(
            ct => connection.Client.CoreV1.ReadNodeAsync(name, cancellationToken: ct),
            new ResourceRef("Node", name),
            cancellationToken).ConfigureAwait(false);
        return NodeMapper.ToClusterNode(node);
    }

    public IAsyncEnumerable<ClusterNode> ListAsync(string? labelSelector, CancellationToken cancellationToken)
    {
        var reader = new NodeListReader();
        return Paging.ListAll<NodeListReader.Page, ClusterNode>(
            (token, limit, ct) => reader.ReadPageAsync(connection, labelSelector, token, limit, ct),
            page => page.Items,
            page => page.Continue,
            new ResourceRef("Node", null),
            cancellationToken);
    }

    /// <summary>Node names only, for tab completion; one page is plenty for a completion list.</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) =>
        (await FirstPageAsync(cancellationToken).ConfigureAwait(false)).Select(n => n.Metadata.Name).ToList();

    /// <summary>The roles the nodes have (node-role.kubernetes.io/* and kubernetes.io/role labels), for tab completion.</summary>
    public async Task<IReadOnlyList<string>> ListRolesAsync(CancellationToken cancellationToken) =>
        (await FirstPageAsync(cancellationToken).ConfigureAwait(false)).SelectMany(n => NodeMapper.RolesOf(n.Metadata.Labels)).Distinct(StringComparer.Ordinal).ToList();

    private async Task<IList<V1Node>> FirstPageAsync(CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.CoreV1.ListNodeAsync(limit: Paging.PageSize, cancellationToken: ct),
            new ResourceRef("Node", null),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);
        return list.Items;
    }
}
