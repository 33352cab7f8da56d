using System.Net;
using ClusterManagement.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ClusterManagement.Kubernetes;

/// <summary>
/// Follows a set of objects (a list with a selector) until a condition over the whole set holds; the
/// wait behind every -Wait, and <see cref="ObjectWatch"/> for a single object. A list gives the set and a
/// resourceVersion, a watch keeps the set current; a dropped watch resumes from the last
/// resourceVersion, an expired one (410) starts again from a fresh list. One connection, whatever the
/// number of objects, and never a poll.
/// </summary>
internal static class CollectionWatch
{
    private const int MaxConsecutiveFailures = 5;

    /// <summary>Lists the whole set and the resourceVersion to watch from.</summary>
    public delegate Task<(IReadOnlyList<T> Items, string ResourceVersion)> ReadAll<T>(CancellationToken cancellationToken);

    /// <param name="isDone">Evaluated on the current set (keyed by uid) after the list and after every change.</param>
    public static async Task<WatchEnd> UntilAsync<T>(
        ReadAll<T> read,
        ObjectWatch.WatchFrom<T> watch,
        Func<IReadOnlyDictionary<string, T>, bool> isDone,
        ResourceRef resource,
        TimeSpan timeout,
        IOperationLog log,
        CancellationToken cancellationToken)
        where T : class, IMetadata<V1ObjectMeta>
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var set = new Dictionary<string, T>(StringComparer.Ordinal);
        try
        {
            var resourceVersion = await Relist(read, set, resource, deadline.Token).ConfigureAwait(false);
            var failures = 0;
            while (!isDone(set))
            {
                var expired = false;
                var sawEvent = false;
                Exception? failure = null;
                try
                {
                    var events = watch(resourceVersion, e =>
                    {
                        if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
                        {
                            expired = true;
                        }
                        else
                        {
                            failure = e;
                        }
                    }, deadline.Token);
                    await foreach (var (type, item) in events.WithCancellation(deadline.Token).ConfigureAwait(false))
                    {
                        failures = 0;
                        sawEvent = true;
                        resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                        if (type == WatchEventType.Bookmark || item.Metadata?.Uid is not { } uid)
                        {
                            continue;
                        }

                        if (type == WatchEventType.Deleted)
                        {
                            set.Remove(uid);
                        }
                        else
                        {
                            set[uid] = item;
                        }

                        if (isDone(set))
                        {
                            return WatchEnd.Done;
                        }
                    }
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
                {
                    expired = true;
                }
                catch (Exception e) when (!deadline.IsCancellationRequested && KubeApi.Translate(e, resource) is { Kind: ClusterErrorKind.Unreachable or ClusterErrorKind.ServerError or ClusterErrorKind.Timeout })
                {
                    failure = e;
                }

                if (expired)
                {
                    log.Verbose($"The watch on {resource} expired (410); listing again.");
                    resourceVersion = await Relist(read, set, resource, deadline.Token).ConfigureAwait(false);
                    continue;
                }

                if (failure is not null)
                {
                    if (++failures > MaxConsecutiveFailures)
                    {
                        throw KubeApi.Translate(failure, resource) ?? new ClusterException(
                            ClusterErrors.Resource.WatchFailed.About(resource.Kind), $"Watching {resource} failed: {failure.Message}", resource.Name, failure);
                    }

                    log.Verbose($"The watch on {resource} broke ({failure.Message}); resuming from resourceVersion {resourceVersion}.");
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * failures), deadline.Token).ConfigureAwait(false);
                }
                else if (!sawEvent)
                {
                    // A server that closes every watch at once must not turn this into a busy loop.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false);
                }
            }

            return WatchEnd.Done;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return cancellationToken.IsCancellationRequested ? WatchEnd.Cancelled : WatchEnd.TimedOut;
        }
    }

    private static async Task<string> Relist<T>(ReadAll<T> read, Dictionary<string, T> set, ResourceRef resource, CancellationToken cancellationToken)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var (items, resourceVersion) = await KubeApi.Call(ct => read(ct), resource, cancellationToken).ConfigureAwait(false);
        set.Clear();
        foreach (var item in items)
        {
            if (item.Metadata?.Uid is { } uid)
            {
                set[uid] = item;
            }
        }

        return resourceVersion;
    }
}
