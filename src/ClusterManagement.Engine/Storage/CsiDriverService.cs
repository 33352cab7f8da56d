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

    public async Task<IReadOnlyList<CsiDriver>> ListAsync(CancellationToken cancellationToken)
    {
        var drivers = await ListRawAsync(connection, cancellationToken).ConfigureAwait(false);
        var classes = await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false);
        return [.. drivers.Select(d => StorageMapper.ToCsiDriver(d, classes))];
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) =>
        [.. (await ListRawAsync(connection, cancellationToken).ConfigureAwait(false)).Select(d => d.Metadata.Name)];

    /// <summary>Null when no CSIDriver of that name is registered.</summary>
    internal static async Task<V1CSIDriver?> FindAsync(ClusterConnection connection, string name, CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.StorageV1.ListCSIDriverAsync(fieldSelector: $"metadata.name={name}", cancellationToken: ct),
            new ResourceRef("CsiDriver", name),
            cancellationToken).ConfigureAwait(false);
        return list.Items.FirstOrDefault();
    }

    private static async Task<IReadOnlyList<V1CSIDriver>> ListRawAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.StorageV1.ListCSIDriverAsync(cancellationToken: ct),
            new ResourceRef("CsiDriver", null),
            cancellationToken).ConfigureAwait(false);
        return [.. list.Items];
    }
}
