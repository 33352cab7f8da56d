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
/// Runs rolling work batch by batch: the items of a batch at the same time, the next batch only when every
/// item of this one succeeded. Every item gets exactly one result: its own, Failed, or NotStarted when an
/// earlier batch failed. After the last result a failed rollout ends with the first failure, wrapped, and the
/// names of the items done, failed and not started, so that the one error says where the rollout left things.
/// <paramref name="openBatch"/> opens a scope around each batch's work and results (a pipeline log group),
/// given the batch's title.
/// </summary>
internal sealed class RolloutRunner<TItem, TResult>(IRolloutWork<TItem, TResult> work, string activity, IOperationLog log, Func<string, IDisposable>? openBatch = null)
{
    private const int ActivityId = 1;

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

                log.Progress(new(ActivityId, activity, "Stopped", 100, Completed: true));
                throw new ClusterException(failure.Error, $"The rollout stopped after batch {number}: {failure.Message}\nDone: {List(succeeded)}; failed: {List(failed)}; not started: {List(notStarted)}.", failure.Target, failure);
            }
        }

        log.Progress(new(ActivityId, activity, "Done", 100, Completed: true));
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
