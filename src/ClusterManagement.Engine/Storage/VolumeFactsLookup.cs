using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Engine.Storage;

/// <summary>
/// What claims being listed need of their volumes. The whole volume list is read in the background
/// while the claims stream; a volume asked for before that list is in is read on its own, so the
/// first claim waits for one small GET instead of for every volume of the cluster. Once the list is
/// in, every answer comes from it, as when the list was read first.
/// </summary>
internal sealed class VolumeFactsLookup(ClusterConnection connection, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    private Task<Dictionary<string, VolumeFacts>>? _all;

    /// <summary>Null when no volume of that name exists.</summary>
    public async ValueTask<VolumeFacts?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (_all is null)
        {
            // The list starts once the first claim's volume is in, so that nothing competes with the first object.
            var first = await VolumeService.FindFactsAsync(connection, name, cancellationToken).ConfigureAwait(false);
            _all = Task.Run(() => ReadAllAsync(_stop.Token));
            return first;
        }
        if (_all.IsCompleted)
        {
            // A failed volume list fails the listing, as it did when it was read first.
            return (await _all.ConfigureAwait(false)).GetValueOrDefault(name);
        }
        return await VolumeService.FindFactsAsync(connection, name, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_all is not null)
        {
            // Whatever the unfinished list met after the claims were written no longer matters.
            await ((Task)_all).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stop.Dispose();
    }

    private async Task<Dictionary<string, VolumeFacts>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var volumes = new Dictionary<string, VolumeFacts>(StringComparer.Ordinal);
        await foreach (var pv in VolumeService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            volumes[pv.Metadata.Name] = StorageMapper.FactsOf(pv);
        }
        return volumes;
    }
}
