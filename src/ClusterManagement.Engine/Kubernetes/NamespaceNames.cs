namespace ClusterManagement.Engine.Kubernetes;

internal static class NamespaceNames
{
    public static async Task<IReadOnlyList<string>> ListAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => k8s.CoreV1OperationsExtensions.ListNamespaceAsync(connection.Client.CoreV1, limit: Paging.PageSize, cancellationToken: ct),
            new ResourceRef("Namespace", null),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);
        return list.Items.Select(n => n.Metadata.Name).ToList();
    }
}
