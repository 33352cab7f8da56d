using System.Collections.Concurrent;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Rollout;

namespace ClusterManagement.Engine.Fleets;

/// <summary>
/// Runs one operation on each of several kubeconfig contexts: a rollout whose items are contexts, run by the
/// <see cref="RolloutRunner{TItem,TResult}"/> as a window of at most <paramref name="throttleLimit"/> at a time,
/// started in the order given. The operation writes its results itself as they come, so a slow or dead cluster
/// holds back no other cluster's results. A context that cannot be opened or whose operation fails is that
/// context's failure alone: one <see cref="ClusterException"/> naming the context goes to <paramref name="failed"/>
/// and the others go on. An operation that reports failures of its own and goes on (one node of several) returns
/// the first of them, so that the context still counts as failed. With <paramref name="stopOnFirstFailure"/> (a
/// staged change: staging before production) the runner's policy applies: no further context starts after a
/// failure, the running ones finish, and the run ends with one error that says which contexts were done, failed
/// and not started.
/// </summary>
internal sealed class ContextFanOut(Func<string, ClusterConnection> open, int throttleLimit, bool stopOnFirstFailure, Action<ClusterException> failed, IOperationLog? log = null)
{
    /// <summary>
    /// The progress id of the fan-out's own bar (contexts done of all), under which the cmdlets put each context's bars.
    /// </summary>
    public const int ProgressActivityId = RolloutRunner<string, ContextOutcome>.ActivityId;

    public async Task RunAsync(IReadOnlyList<string> contexts, Func<ClusterConnection, CancellationToken, Task<ClusterException?>> operation, CancellationToken cancellationToken)
    {
        var work = new ContextWork(open, operation);
        var runner = new RolloutRunner<string, ContextOutcome>(work, $"{contexts.Count} contexts", log ?? NullOperationLog.Instance);
        await foreach (var outcome in runner.RunWindowAsync(contexts, throttleLimit, stopOnFirstFailure, cancellationToken).ConfigureAwait(false))
        {
            if (outcome is { Failure: { } failure, Reported: false })
            {
                failed(failure);
            }
        }
    }

    /// <summary>What became of one context: null <see cref="Failure"/> when it was done or never started.</summary>
    private sealed record ContextOutcome(ClusterException? Failure, bool Reported);

    private sealed class ContextWork(Func<string, ClusterConnection> open, Func<ClusterConnection, CancellationToken, Task<ClusterException?>> operation) : IRolloutWork<string, ContextOutcome>
    {
        /// <summary>Contexts whose operation wrote its failure itself: counted as failed, not reported again.</summary>
        private readonly ConcurrentDictionary<string, bool> reportedByOperation = new(StringComparer.Ordinal);

        public string NameOf(string context) => context;

        public async Task<ContextOutcome> RunAsync(string context, int batch, CancellationToken cancellationToken)
        {
            ClusterException? reported;
            // Every context's first objects early, however big its lists: the first page small.
            using var firstPages = Paging.SmallFirstPages();
            try
            {
                reported = await operation(open(context), cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e)
            {
                throw Named(context, e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A deadline of the operation's own that it did not turn into an error: still this context's failure.
                throw new ClusterException(ClusterErrors.ApiRequestTimeout, $"Context '{context}': a request did not finish in time; see the verbose log for where it stopped.", context);
            }

            if (reported is null)
            {
                return new ContextOutcome(null, false);
            }

            reportedByOperation[context] = true;
            throw Named(context, reported);
        }

        public ContextOutcome Failed(string context, int batch, TimeSpan elapsed, ClusterException error) =>
            new(error, reportedByOperation.ContainsKey(context));

        public ContextOutcome NotStarted(string context, int batch) => new(null, false);

        /// <summary>The failure as the fan-out reports it: naming its context, keeping what explains it.</summary>
        private static ClusterException Named(string context, ClusterException e) => new(e.Error, $"Context '{context}': {e.Message}", context, e)
        {
            StatusCode = e.StatusCode,
            ServerMessage = e.ServerMessage,
            Diagnosis = e.Diagnosis,
        };
    }
}
