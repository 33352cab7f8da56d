using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Rollout;

namespace ClusterManagement.Tests.Rollout;

/// <summary>The runner with a fake per-item step: batches, concurrency, failure policy and one result per item.</summary>
public sealed class RolloutRunnerTests
{
    [Fact]
    public async Task RunsABatchTogetherAndTheNextOnlyAfterIt()
    {
        var work = new FakeWork { Delay = TimeSpan.FromMilliseconds(200) };

        var results = await CollectAsync(work, [["a", "b", "c"], ["d"]]);

        Assert.Equal(["a done 1", "b done 1", "c done 1", "d done 2"], results.Results);
        Assert.Null(results.Error);
        Assert.Equal(3, work.MostAtOnce);
        Assert.True(work.Started["d"] >= new[] { "a", "b", "c" }.Max(n => work.Finished[n]));
    }

    [Fact]
    public async Task AFailureFinishesItsBatchMarksLaterBatchesNotStartedAndEndsTheRollout()
    {
        var work = new FakeWork { Fail = "b" };

        var results = await CollectAsync(work, [["a", "b", "c"], ["d", "e"], ["f"]]);

        Assert.Equal(["a done 1", "b failed 1: b broke", "c done 1", "d not started 2", "e not started 2", "f not started 3"], results.Results);
        Assert.Equal("NodeCommandFailed", results.Error!.ErrorId);
        Assert.Equal(ClusterErrorKind.OperationFailed, results.Error.Kind);
        Assert.Equal("The rollout stopped after batch 1: b broke\nDone: a, c; failed: b; not started: d, e, f.", results.Error.Message);
        Assert.DoesNotContain("d", work.Started.Keys);
    }

    [Fact]
    public async Task AnItemsOwnDeadlineIsItsFailureNotACancelledRollout()
    {
        var work = new FakeWork { TimeOut = "a" };

        var results = await CollectAsync(work, [["a", "b"], ["c"]]);

        Assert.Equal("a failed 1: a: a step did not finish in time; see the verbose log for where it stopped.", results.Results[0]);
        Assert.Equal(["b done 1", "c not started 2"], results.Results.Skip(1));
        Assert.Equal("RolloutItemTimeout", results.Error!.ErrorId);
    }

    [Fact]
    public async Task EachBatchHasItsOwnScopeAroundItsWorkAndResults()
    {
        var events = new List<string>();
        var runner = new RolloutRunner<string, string>(new FakeWork(), "test", NullOperationLog.Instance, title =>
        {
            events.Add($"open {title}");
            return new Scope(() => events.Add($"close {title}"));
        });

        await foreach (var result in runner.RunAsync([["a", "b"], ["c"]], CancellationToken.None))
        {
            events.Add(result);
        }

        Assert.Equal(["open Batch 1 of 2: a, b", "a done 1", "b done 1", "close Batch 1 of 2: a, b", "open Batch 2 of 2: c", "c done 2", "close Batch 2 of 2: c"], events);
    }

    [Fact]
    public async Task CancellingTheRolloutStopsIt()
    {
        using var cancel = new CancellationTokenSource();
        var work = new FakeWork { Delay = TimeSpan.FromSeconds(30) };
        cancel.CancelAfter(200);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectAsync(work, [["a"], ["b"]], cancel.Token));
        Assert.DoesNotContain("b", work.Started.Keys);
    }

    [Fact]
    public async Task AWindowStartsTheNextItemWhenASlotFreesWithoutWaitingForTheSlowOne()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = new FakeWork { Gates = { ["a"] = slow.Task } };
        var results = new List<string>();

        // "a" ends only once "c" has: run batch by batch, "c" would wait for "a" and this would never end.
        await foreach (var result in new RolloutRunner<string, string>(work, "test", NullOperationLog.Instance).RunWindowAsync(["a", "b", "c"], 2, stopOnFailure: false, CancellationToken.None).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            results.Add(result);
            if (result.StartsWith('c'))
            {
                slow.SetResult();
            }
        }

        Assert.Equal(["b done 1", "c done 1", "a done 1"], results);
        Assert.Equal(2, work.MostAtOnce);
    }

    [Fact]
    public async Task AWindowWithoutStopOnFailureRunsEveryItemAndEndsWithoutError()
    {
        var work = new FakeWork { Fail = "a" };

        var (results, error) = await CollectWindowAsync(work, ["a", "b", "c"], 1, stopOnFailure: false);

        Assert.Equal(["a failed 1: a broke", "b done 1", "c done 1"], results);
        Assert.Null(error);
    }

    [Fact]
    public async Task AWindowWithStopOnFailureStartsNothingAfterTheFirstFailureLetsTheRunningFinishAndSaysWhereItStopped()
    {
        var failedSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // "b" runs beside the failing "a" and ends only after the runner has taken in a's failure.
        var work = new FakeWork { Fail = "a", Gates = { ["b"] = failedSeen.Task } };
        var results = new List<string>();
        ClusterException? error = null;
        try
        {
            await foreach (var result in new RolloutRunner<string, string>(work, "test", NullOperationLog.Instance).RunWindowAsync(["a", "b", "c", "d"], 2, stopOnFailure: true, CancellationToken.None))
            {
                results.Add(result);
                if (result.StartsWith("a failed", StringComparison.Ordinal))
                {
                    failedSeen.SetResult();
                }
            }
        }
        catch (ClusterException e)
        {
            error = e;
        }

        Assert.Equal(["a failed 1: a broke", "b done 1", "c not started 1", "d not started 1"], results);
        Assert.Equal(["a", "b"], work.Started.Keys.Order());
        Assert.Equal("The rollout stopped at its first failure: a broke\nDone: b; failed: a; not started: c, d.", error!.Message);
        Assert.Equal("NodeCommandFailed", error.ErrorId);
    }

    private static async Task<(List<string> Results, ClusterException? Error)> CollectWindowAsync(FakeWork work, IReadOnlyList<string> items, int concurrency, bool stopOnFailure)
    {
        var results = new List<string>();
        try
        {
            await foreach (var result in new RolloutRunner<string, string>(work, "test", NullOperationLog.Instance).RunWindowAsync(items, concurrency, stopOnFailure, CancellationToken.None))
            {
                results.Add(result);
            }
        }
        catch (ClusterException e)
        {
            return (results, e);
        }

        return (results, null);
    }

    private static async Task<(List<string> Results, ClusterException? Error)> CollectAsync(FakeWork work, IReadOnlyList<IReadOnlyList<string>> batches, CancellationToken cancellationToken = default)
    {
        var results = new List<string>();
        try
        {
            await foreach (var result in new RolloutRunner<string, string>(work, "test", NullOperationLog.Instance).RunAsync(batches, cancellationToken))
            {
                results.Add(result);
            }
        }
        catch (ClusterException e)
        {
            return (results, e);
        }

        return (results, null);
    }

    private sealed class Scope(Action close) : IDisposable
    {
        public void Dispose() => close();
    }

    private sealed class FakeWork : IRolloutWork<string, string>
    {
        private int running;

        public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(20);
        public string? Fail { get; init; }
        public string? TimeOut { get; init; }

        /// <summary>Items that finish only when their task has.</summary>
        public Dictionary<string, Task> Gates { get; } = [];
        public int MostAtOnce { get; private set; }
        public Dictionary<string, DateTime> Started { get; } = [];
        public Dictionary<string, DateTime> Finished { get; } = [];

        public string NameOf(string item) => item;

        public async Task<string> RunAsync(string item, int batch, CancellationToken cancellationToken)
        {
            lock (Started)
            {
                Started[item] = DateTime.UtcNow;
                MostAtOnce = Math.Max(MostAtOnce, ++running);
            }

            try
            {
                if (item == TimeOut)
                {
                    using var own = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
                    await Task.Delay(Timeout.Infinite, own.Token);
                }

                await Task.Delay(Delay, cancellationToken);
                if (Gates.TryGetValue(item, out var gate))
                {
                    await gate.WaitAsync(cancellationToken);
                }

                return item == Fail ? throw new ClusterException(ClusterErrors.NodeCommandFailed, $"{item} broke", item) : $"{item} done {batch}";
            }
            finally
            {
                lock (Started)
                {
                    running--;
                    Finished[item] = DateTime.UtcNow;
                }
            }
        }

        public string Failed(string item, int batch, TimeSpan elapsed, ClusterException error) => $"{item} failed {batch}: {error.Message}";

        public string NotStarted(string item, int batch) => $"{item} not started {batch}";
    }
}
