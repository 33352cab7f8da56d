using System.Diagnostics;
using System.Runtime.CompilerServices;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.Rollout;

/// <summary>One kind of rolling work: what is done to one item, and how its result reads when it fails or never starts.</summary>
internal interface IRolloutWork<in TItem, TResult>
{
    string NameOf(TItem item);

    /// <summary>Does the work on one item; a failure is a <see cref="ClusterException"/> naming the item and the state it is left in.</summary>
    Task<TResult> RunAsync(TItem item, int batch, CancellationToken cancellationToken);

    TResult Failed(TItem item, int batch, TimeSpan elapsed, ClusterException error);

    TResult NotStarted(TItem item, int batch);
}

/// <summary>
/// Runs rolling work, batch by batch (<see cref="RunAsync"/>) or as a window of items (<see cref="RunWindowAsync"/>).
/// Every item gets exactly one result: its own, Failed, or NotStarted when the rollout stopped before it.
/// After the last result a stopped rollout ends with the first failure, wrapped, and the names of the items
/// done, failed and not started, so that the one error says where the rollout left things.
/// <paramref name="openBatch"/> opens a scope around each batch's work and results (a pipeline log group),
/// given the batch's title.
/// </summary>
internal sealed class RolloutRunner<TItem, TResult>(IRolloutWork<TItem, TResult> work, string activity, IOperationLog log, Func<string, IDisposable>? openBatch = null)
{
    internal const int ActivityId = 1;

    /// <summary>The items of a batch at the same time, the next batch only when every item of this one succeeded.</summary>
    public async IAsyncEnumerable<TResult> RunAsync(IReadOnlyList<IReadOnlyList<TItem>> batches, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var total = batches.Sum(b => b.Count);
        var done = 0;
        var succeeded = new List<string>();
        for (var b = 0; b < batches.Count; b++)
        {
            var title = $"Batch {b + 1} of {batches.Count}: {string.Join(", ", batches[b].Select(work.NameOf))}";
            log.Progress(new(ActivityId, activity, title, total == 0 ? 100 : done * 100 / total));
            var number = b + 1;
            (TResult Result, ClusterException? Error)[] outcomes;
            using (openBatch?.Invoke(title))
            {
                outcomes = await Task.WhenAll(batches[b].Select(item => RunOneAsync(item, number, cancellationToken))).ConfigureAwait(false);
                done += outcomes.Length;
                foreach (var (result, _) in outcomes)
                {
                    yield return result;
                }
            }

            succeeded.AddRange(batches[b].Where((_, i) => outcomes[i].Error is null).Select(work.NameOf));
            if (outcomes.FirstOrDefault(o => o.Error is not null).Error is { } failure)
            {
                var failed = batches[b].Where((_, i) => outcomes[i].Error is not null).Select(work.NameOf);
                var notStarted = batches.Skip(b + 1).SelectMany(batch => batch).Select(work.NameOf);
                for (var later = b + 1; later < batches.Count; later++)
                {
                    foreach (var item in batches[later])
                    {
                        yield return work.NotStarted(item, later + 1);
                    }
                }

                throw Stopped($"after batch {number}", failure, succeeded, failed, notStarted);
            }
        }

        log.Progress(new(ActivityId, activity, "Done", 100, Completed: true));
    }

    /// <summary>
    /// At most <paramref name="concurrency"/> items at a time, started in the order given, each as soon as a slot
    /// is free, each result as soon as its item ends: a slow item holds back no other. With
    /// <paramref name="stopOnFailure"/> (a staged rollout) no item starts after the first failure, the running
    /// ones finish, and the rollout ends as a failed batch ends it; without it every item runs and a failure is
    /// that item's result alone.
    /// </summary>
    public async IAsyncEnumerable<TResult> RunWindowAsync(IReadOnlyList<TItem> items, int concurrency, bool stopOnFailure, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var running = new List<Task<(TItem Item, TResult Result, ClusterException? Error)>>();
        var next = 0;
        var succeeded = new List<string>();
        var failed = new List<string>();
        ClusterException? firstFailure = null;
        // The bar is there from the start, so that the items' own bars nest under it (a child before its parent shows on its own).
        log.Progress(new(ActivityId, activity, $"0 of {items.Count} done", 0));
        while (true)
        {
            while (running.Count < concurrency && next < items.Count && (firstFailure is null || !stopOnFailure))
            {
                var item = items[next++];
                // On the thread pool: an item's synchronous start (opening its connection) delays no other item's.
                running.Add(Task.Run(async () =>
                {
                    var (result, error) = await RunOneAsync(item, 1, cancellationToken).ConfigureAwait(false);
                    return (item, result, error);
                }, CancellationToken.None));
            }

            if (running.Count == 0)
            {
                break;
            }

            var ended = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(ended);
            var (endedItem, endedResult, endedError) = await ended.ConfigureAwait(false);
            (endedError is null ? succeeded : failed).Add(work.NameOf(endedItem));
            firstFailure ??= endedError;
            log.Progress(new(ActivityId, activity, $"{succeeded.Count + failed.Count} of {items.Count} done", (succeeded.Count + failed.Count) * 100 / items.Count));
            yield return endedResult;
        }

        var notStarted = items.Skip(next).ToList();
        foreach (var item in notStarted)
        {
            yield return work.NotStarted(item, 1);
        }

        if (stopOnFailure && firstFailure is not null)
        {
            throw Stopped("at its first failure", firstFailure, succeeded, failed, notStarted.Select(work.NameOf));
        }

        log.Progress(new(ActivityId, activity, "Done", 100, Completed: true));
    }

    private ClusterException Stopped(string where, ClusterException failure, IEnumerable<string> succeeded, IEnumerable<string> failed, IEnumerable<string> notStarted)
    {
        log.Progress(new(ActivityId, activity, "Stopped", 100, Completed: true));
        return new ClusterException(failure.Error, $"The rollout stopped {where}: {failure.Message}\nDone: {List(succeeded)}; failed: {List(failed)}; not started: {List(notStarted)}.", failure.Target, failure);
    }

    private static string List(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";

    private async Task<(TResult Result, ClusterException? Error)> RunOneAsync(TItem item, int batch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return (await work.RunAsync(item, batch, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ClusterException e)
        {
            return (work.Failed(item, batch, clock.Elapsed, e), e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A deadline of the work's own that it did not turn into an error: still this item's failure, never a bare cancellation.
            var error = new ClusterException(ClusterErrors.RolloutItemTimeout, $"{work.NameOf(item)}: a step did not finish in time; see the verbose log for where it stopped.", work.NameOf(item));
            return (work.Failed(item, batch, clock.Elapsed, error), error);
        }
    }
}
