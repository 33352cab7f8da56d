using System.Net;
using ClusterManagement.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Follows a set of objects (a list with a selector) until a condition over the whole set holds; the
/// wait behind every -Wait, and <see cref="ObjectWatch"/> for a single object. A list gives the set and a
/// resourceVersion, a watch keeps the set current; a dropped watch resumes from the last
/// resourceVersion, an expired one (410) starts again from a fresh list. One connection, whatever the
/// number of objects, and never a poll. An API server that cannot be reached is tried again (with a
/// growing pause) for up to <see cref="OutageTolerance"/> within the timeout, so a restart of the
/// server does not end the wait; a longer outage ends it with the failure, never as a plain timeout.
/// </summary>
internal static class CollectionWatch
{
    /// <summary>How long the server may stay unreachable before a wait gives up on it.</summary>
    public static readonly TimeSpan OutageTolerance = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(2);

    /// <summary>Lists the whole set and the resourceVersion to watch from.</summary>
    public delegate Task<(IReadOnlyList<T> Items, string ResourceVersion)> ReadAll<T>(CancellationToken cancellationToken);

    /// <param name="isDone">Evaluated on the current set (keyed by uid) after the list and after every change.</param>
    /// <param name="serverTrouble">Told each failure to reach the server, and null once it answers again.</param>
    public static async Task<WatchEnd> UntilAsync<T>(
        ReadAll<T> read,
        ObjectWatch.WatchFrom<T> watch,
        Func<IReadOnlyDictionary<string, T>, bool> isDone,
        ResourceRef resource,
        TimeSpan timeout,
        IOperationLog log,
        CancellationToken cancellationToken,
        Action<ClusterException?>? serverTrouble = null)
        where T : class, IMetadata<V1ObjectMeta>
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var set = new Dictionary<string, T>(StringComparer.Ordinal);
        string? resourceVersion = null;
        ClusterException? failure = null;
        var failingSince = TimeSpan.Zero;
        var failures = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var expired = false;
                var answered = false;
                Exception? broke = null;
                // Whichever way this attempt ends (done, broken, Ctrl+C), its watch is closed on the server with it.
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                using var closedWithAttempt = WatchStreams.ClosedWhen(attempt.Token);
                try
                {
                    if (resourceVersion is null)
                    {
                        resourceVersion = await Relist(read, set, resource, deadline.Token).ConfigureAwait(false);
                        answered = true;
                        Recovered();
                        if (isDone(set))
                        {
                            return WatchEnd.Done;
                        }
                    }

                    var events = watch(resourceVersion, e =>
                    {
                        if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
                        {
                            expired = true;
                        }
                        else
                        {
                            broke = e;
                        }
                    }, deadline.Token);
                    await foreach (var (type, item) in events.WithCancellation(deadline.Token).ConfigureAwait(false))
                    {
                        answered = true;
                        Recovered();
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
                    broke = e;
                }
                finally
                {
                    attempt.Cancel();
                }

                if (expired)
                {
                    log.Verbose($"The watch on {resource} expired (410); listing again.");
                    resourceVersion = null;
                    continue;
                }

                if (broke is not null)
                {
                    var error = KubeApi.Translate(broke, resource) ?? new ClusterException(
                        ClusterErrors.Resource.WatchFailed.About(resource.Kind), $"Watching {resource} failed: {broke.Message}", resource.Name, broke);
                    if (failure is null)
                    {
                        failingSince = clock.Elapsed;
                    }

                    failure = error;
                    serverTrouble?.Invoke(error);
                    if (clock.Elapsed - failingSince > OutageTolerance)
                    {
                        throw error;
                    }

                    failures++;
                    log.Verbose(resourceVersion is null
                        ? $"Listing {resource} failed ({broke.Message}); trying again."
                        : $"The watch on {resource} broke ({broke.Message}); resuming from resourceVersion {resourceVersion}.");
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * failures, MaxPause.TotalMilliseconds)), deadline.Token).ConfigureAwait(false);
                }
                else if (!answered)
                {
                    // A server that closes every watch at once must not turn this into a busy loop.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false);
                }
            }
        }
        // Stopping closes the watch's stream under the reader (WatchStreams), which then fails with
        // ObjectDisposedException or an IOException as often as with a cancellation.
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or IOException or HttpRequestException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return WatchEnd.Cancelled;
            }

            if (failure is not null)
            {
                throw new ClusterException(
                    failure.Error,
                    $"Stopped waiting for {resource} after {timeout}: the API server has not answered for the last {(clock.Elapsed - failingSince).TotalSeconds:0} s. {failure.Message}",
                    failure.Target,
                    failure);
            }

            return WatchEnd.TimedOut;
        }

        void Recovered()
        {
            if (failure is not null)
            {
                log.Verbose($"The API server answers again; following {resource} from resourceVersion {resourceVersion}.");
                failure = null;
                failures = 0;
                serverTrouble?.Invoke(null);
            }
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
