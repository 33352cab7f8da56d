using System.Collections.Concurrent;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// What work on other threads asks the pipeline thread to do, and the pump that does it. Generic in
/// its target so that it needs no PowerShell: every question asked through it ends (answered, failed
/// or cancelled), which is what keeps a cmdlet from waiting forever once the pipeline failed or stopped.
/// </summary>
internal sealed class PipelineQueue<TTarget>
{
    private readonly BlockingCollection<Action<TTarget>> queue = new();
    private readonly CancellationToken cancellation;

    /// <param name="cancellation">
    /// The work's token: once it is cancelled, questions get no answer from the pipeline thread any more
    /// but are cancelled, whether or not the pump already took them.
    /// </param>
    internal PipelineQueue(CancellationToken cancellation) => this.cancellation = cancellation;

    /// <summary>Queues <paramref name="action"/>; after <see cref="Complete"/>, late writes of still-running work are dropped.</summary>
    internal void Post(Action<TTarget> action) => TryAdd(action);

    /// <summary>Runs <paramref name="question"/> on the pipeline thread; the task ends however the pipeline does.</summary>
    internal Task<TResult> Ask<TResult>(Func<TTarget, TResult> question)
    {
        var answer = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellation.Register(() => answer.TrySetCanceled(cancellation));
        var queued = !answer.Task.IsCompleted && TryAdd(target =>
        {
            registration.Dispose();
            // Cancelled while queued: nobody waits for the answer, so nobody is to be asked.
            if (answer.Task.IsCompleted)
            {
                return;
            }

            try
            {
                answer.TrySetResult(question(target));
            }
            catch (Exception e)
            {
                answer.TrySetException(e);
                throw;
            }
        });
        if (!queued)
        {
            registration.Dispose();
            answer.TrySetCanceled();
        }

        return answer.Task;
    }

    /// <summary>The work has ended: the pump returns once it has run what is queued.</summary>
    internal void Complete() => queue.CompleteAdding();

    /// <summary>
    /// Runs the queued actions on the calling thread until <see cref="Complete"/> or <paramref name="stop"/>.
    /// The first action that throws cancels <paramref name="work"/> and is returned; what is queued after
    /// it is not run (its questions are cancelled through the work's token), but the pump keeps taking
    /// actions so that the work can end.
    /// </summary>
    internal Exception? Pump(TTarget target, CancellationTokenSource work, CancellationToken stop)
    {
        Exception? failure = null;
        try
        {
            foreach (var action in queue.GetConsumingEnumerable(stop))
            {
                if (failure is not null)
                {
                    continue;
                }

                try
                {
                    action(target);
                }
                catch (Exception e)
                {
                    failure = e;
                    work.Cancel();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C: not waiting any longer for work that may not observe its token.
        }

        return failure;
    }

    /// <summary>
    /// After Ctrl+C: runs what the unwinding work still posts (what it leaves behind, say) until it ends or
    /// <paramref name="grace"/> passes. An action the stopped pipeline refuses is skipped; the next one still
    /// runs, since a warning after a refused progress record is what the user most needs to see.
    /// </summary>
    /// <returns>Whether the work ended within <paramref name="grace"/>.</returns>
    internal bool DrainAfterStop(TTarget target, TimeSpan grace)
    {
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable(deadline.Token))
            {
                try
                {
                    action(target);
                }
                catch (Exception)
                {
                    // The stopped pipeline refuses most writes; the work is already cancelled.
                }
            }

            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
    }

    private bool TryAdd(Action<TTarget> action)
    {
        try
        {
            return queue.TryAdd(action);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
