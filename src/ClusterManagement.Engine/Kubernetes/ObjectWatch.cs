using ClusterManagement.Diagnostics;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>How a wait ended.</summary>
internal enum WatchEnd
{
    /// <summary>The condition held.</summary>
    Done,

    /// <summary>The timeout passed first.</summary>
    TimedOut,

    /// <summary>The caller cancelled (Ctrl+C).</summary>
    Cancelled,
}

/// <param name="Last">The object as last seen; null when it does not exist (any more).</param>
internal sealed record WatchResult<T>(T? Last, WatchEnd End)
    where T : class;

/// <summary>
/// Follows one object until a condition holds, the way kubectl rollout status does: a list gives the
/// current state and a resourceVersion, then a watch continues from there. It is
/// <see cref="CollectionWatch"/> over a set of at most one object, with the same reconnect and
/// relist rules. Never polls.
/// </summary>
internal static class ObjectWatch
{
    /// <summary>Reads the object (usually a list with a metadata.name field selector) and the resourceVersion to watch from.</summary>
    public delegate Task<(T? Item, string ResourceVersion)> ReadCurrent<T>(CancellationToken cancellationToken);

    /// <summary>Opens a watch from a resourceVersion; Status events (such as 410 Expired) arrive through onError.</summary>
    public delegate IAsyncEnumerable<(WatchEventType Type, T Item)> WatchFrom<T>(string resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);

    public static async Task<WatchResult<T>> UntilAsync<T>(
        ReadCurrent<T> read,
        WatchFrom<T> watch,
        Func<T?, bool> isDone,
        ResourceRef resource,
        TimeSpan timeout,
        IOperationLog log,
        CancellationToken cancellationToken)
        where T : class, IMetadata<V1ObjectMeta>
    {
        T? last = null;
        var end = await CollectionWatch.UntilAsync<T>(
            async ct =>
            {
                var (item, resourceVersion) = await read(ct).ConfigureAwait(false);
                return (item is null ? [] : [item], resourceVersion);
            },
            watch,
            set =>
            {
                last = set.Values.FirstOrDefault();
                return isDone(last);
            },
            resource,
            timeout,
            log,
            cancellationToken).ConfigureAwait(false);
        return new WatchResult<T>(last, end);
    }
}
