using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Storage;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>PersistentVolumes: read them, and change their reclaim policy to protect data before a claim goes.</summary>
internal sealed class VolumeService(ClusterConnection connection)
{
    public async Task<CsiVolume> GetAsync(string name, CancellationToken cancellationToken) =>
        StorageMapper.ToVolume(await ReadRawAsync(connection, name, cancellationToken).ConfigureAwait(false));

    public async IAsyncEnumerable<CsiVolume> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var pv in ListRawAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            yield return StorageMapper.ToVolume(pv);
        }
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.CoreV1.ListPersistentVolumeAsync(limit: Paging.PageSize, cancellationToken: ct),
            new ResourceRef("CsiVolume", null),
            cancellationToken).ConfigureAwait(false);
        return [.. list.Items.Select(v => v.Metadata.Name)];
    }

    public async Task<CsiVolume> SetReclaimPolicyAsync(string name, string policy, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(KubernetesJson.Serialize(new { spec = new { persistentVolumeReclaimPolicy = policy } }), V1Patch.PatchType.MergePatch);
        var changed = await Conflicts.RetryAsync(
            ct => KubeApi.Call(
                c => connection.Client.CoreV1.PatchPersistentVolumeAsync(patch, name, cancellationToken: c),
                new ResourceRef("CsiVolume", name),
                ct),
            new ResourceRef("CsiVolume", name),
            cancellationToken).ConfigureAwait(false);
        return StorageMapper.ToVolume(changed);
    }

    internal static Task<V1PersistentVolume> ReadRawAsync(ClusterConnection connection, string name, CancellationToken cancellationToken) =>
        KubeApi.Call(ct => connection.Client.CoreV1.ReadPersistentVolumeAsync(name, cancellationToken: ct), new ResourceRef("CsiVolume", name), cancellationToken);

    /// <summary>What a claim needs of its volume; null when there is no such volume, as a claim can outlive its volume (Lost).</summary>
    internal static async Task<VolumeFacts?> FindFactsAsync(ClusterConnection connection, string name, CancellationToken cancellationToken)
    {
        try
        {
            return StorageMapper.FactsOf(await ReadRawAsync(connection, name, cancellationToken).ConfigureAwait(false));
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            return null;
        }
    }

    internal static IAsyncEnumerable<V1PersistentVolume> ListRawAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        Paging.ListAll<V1PersistentVolumeList, V1PersistentVolume>(
            (token, limit, ct) => connection.Client.CoreV1.ListPersistentVolumeAsync(continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("CsiVolume", null),
            cancellationToken);
}
