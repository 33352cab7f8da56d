using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Engine.Fleets;

/// <summary>
/// Runs one operation on each of several kubeconfig contexts, at most <paramref name="throttleLimit"/> at a time,
/// started in the order given. The operation writes its results itself as they come, so a slow or dead cluster
/// holds back no other cluster's results. A context that cannot be opened or whose operation fails is that
/// context's failure alone: one <see cref="ClusterException"/> naming the context goes to <paramref name="failed"/>
/// and the others go on. An operation that reports failures of its own and goes on (one node of several) returns
/// the first of them, so that the context still counts as failed. With <paramref name="stopOnFirstFailure"/> (a staged change: staging before production)
/// no further context starts after a failure, the running ones finish, and the run then ends with one error
/// that says which contexts were done, failed and not started, as the rollout runner ends a failed rollout.
/// </summary>
internal sealed class ContextFanOut(Func<string, ClusterConnection> open, int throttleLimit, bool stopOnFirstFailure, Action<ClusterException> failed)
{
    public async Task RunAsync(IReadOnlyList<string> contexts, Func<ClusterConnection, CancellationToken, Task<ClusterException?>> operation, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(throttleLimit, 1);
        using var slots = new SemaphoreSlim(throttleLimit);
        var running = new List<Task<ClusterException?>>();
        var notStarted = new List<string>();
        var anyFailed = 0;
        foreach (var context in contexts)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (stopOnFirstFailure && Volatile.Read(ref anyFailed) == 1)
            {
                slots.Release();
                notStarted.Add(context);
                continue;
            }

            running.Add(Task.Run(async () =>
            {
                try
                {
                    var (failure, reported) = await RunOneAsync(context, operation, cancellationToken).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        Volatile.Write(ref anyFailed, 1);
                        if (!reported)
                        {
                            failed(failure);
                        }
                    }

                    return failure;
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        var outcomes = await Task.WhenAll(running).ConfigureAwait(false);
        if (notStarted.Count > 0 && outcomes.FirstOrDefault(o => o is not null) is { } first)
        {
            var started = contexts.Except(notStarted).ToList();
            var failedNames = started.Where((_, i) => outcomes[i] is not null);
            var done = started.Where((_, i) => outcomes[i] is null);
            throw new ClusterException(first.Error,
                $"Stopped after the first failing context (-StopOnFirstFailure): {first.Message}\nDone: {List(done)}; failed: {List(failedNames)}; not started: {List(notStarted)}.",
                first.Target,
                first);
        }
    }

    private async Task<(ClusterException? Failure, bool Reported)> RunOneAsync(string context, Func<ClusterConnection, CancellationToken, Task<ClusterException?>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation(open(context), cancellationToken).ConfigureAwait(false) is { } reported
                ? (new ClusterException(reported.Error, $"Context '{context}': {reported.Message}", context, reported), true)
                : (null, false);
        }
        catch (ClusterException e)
        {
            return (new ClusterException(e.Error, $"Context '{context}': {e.Message}", context, e), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A deadline of the operation's own that it did not turn into an error: still this context's failure.
            return (new ClusterException(ClusterErrors.ApiRequestTimeout, $"Context '{context}': a request did not finish in time; see the verbose log for where it stopped.", context), false);
        }
    }

    private static string List(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";
}
