using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Storage;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>Registered CSI drivers and the classes that use them.</summary>
internal sealed class CsiDriverService(ClusterConnection connection)
{
    public async Task<CsiDriver> GetAsync(string name, CancellationToken cancellationToken)
    {
        var driver = await KubeApi.Call(
            ct => connection.Client.StorageV1.ReadCSIDriverAsync(name, cancellationToken: ct),
            new ResourceRef("CsiDriver", name),
            cancellationToken).ConfigureAwait(false);
        return StorageMapper.ToCsiDriver(driver, await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Every driver, page by page. A driver names the classes that use it, so the classes (a short list
    /// in any cluster) are read first; the drivers are written as their pages come.
    /// </summary>
    public async IAsyncEnumerable<CsiDriver> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var classes = await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false);
        await foreach (var driver in PagesAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            yield return StorageMapper.ToCsiDriver(driver, classes);
        }
    }

    /// <summary>Driver names, for tab completion; one page is plenty for a completion list.</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.StorageV1.ListCSIDriverAsync(limit: Paging.PageSize, cancellationToken: ct),
            new ResourceRef("CsiDriver", null),
            cancellationToken).ConfigureAwait(false);
        return [.. list.Items.Select(d => d.Metadata.Name)];
    }

    /// <summary>Null when no CSIDriver of that name is registered.</summary>
    internal static async Task<V1CSIDriver?> FindAsync(ClusterConnection connection, string name, CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.StorageV1.ListCSIDriverAsync(fieldSelector: $"metadata.name={name}", cancellationToken: ct),
            new ResourceRef("CsiDriver", name),
            cancellationToken).ConfigureAwait(false);
        return list.Items.FirstOrDefault();
    }

    private static IAsyncEnumerable<V1CSIDriver> PagesAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        Paging.ListAll<V1CSIDriverList, V1CSIDriver>(
            (token, limit, ct) => connection.Client.StorageV1.ListCSIDriverAsync(continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("CsiDriver", null),
            cancellationToken);
}
