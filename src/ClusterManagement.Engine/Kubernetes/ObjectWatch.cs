using System.Net;
using ClusterManagement.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ClusterManagement.Kubernetes;

/// <summary>How a wait ended.</summary>
public enum WatchEnd
{
    /// <summary>The condition held.</summary>
    Done,

    /// <summary>The timeout passed first.</summary>
    TimedOut,

    /// <summary>The caller cancelled (Ctrl+C).</summary>
    Cancelled,
}

/// <param name="Last">The object as last seen; null when it does not exist (any more).</param>
public sealed record WatchResult<T>(T? Last, WatchEnd End)
    where T : class;

/// <summary>
/// Follows one object until a condition holds, the way kubectl rollout status does: a list gives the
/// current state and a resourceVersion, then a watch continues from there. A watch that ends or whose
/// connection drops resumes from the last resourceVersion seen; one the server has expired (410 Gone)
/// starts again from a fresh list. Never polls.
/// </summary>
public static class ObjectWatch
{
    private const int MaxConsecutiveFailures = 5;

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
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        T? current = null;
        try
        {
            (current, var resourceVersion) = await KubeApi.Call(ct => read(ct), resource, deadline.Token).ConfigureAwait(false);
            var failures = 0;
            while (!isDone(current))
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
                        if (type == WatchEventType.Bookmark)
                        {
                            continue;
                        }

                        current = type == WatchEventType.Deleted ? null : item;
                        if (isDone(current))
                        {
                            return new WatchResult<T>(current, WatchEnd.Done);
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
                    log.Verbose($"The watch on {resource} expired (410); listing it again.");
                    (current, resourceVersion) = await KubeApi.Call(ct => read(ct), resource, deadline.Token).ConfigureAwait(false);
                    continue;
                }

                if (failure is not null)
                {
                    if (++failures > MaxConsecutiveFailures)
                    {
                        throw KubeApi.Translate(failure, resource) ?? new ClusterException(
                            ClusterErrorKind.OperationFailed, resource.Kind + "WatchFailed", $"Watching {resource} failed: {failure.Message}", resource.Name, failure);
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

            return new WatchResult<T>(current, WatchEnd.Done);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new WatchResult<T>(current, cancellationToken.IsCancellationRequested ? WatchEnd.Cancelled : WatchEnd.TimedOut);
        }
    }
}
