using System.Collections.Concurrent;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Fleets;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Nodes;
using k8s;

namespace ClusterManagement.Tests.Fleets;

/// <summary>One operation across several contexts: throttled, in order, each failure its own, staged when asked.</summary>
public sealed class ContextFanOutTests : IAsyncLifetime
{
    private KubeEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private ClusterConnection Open(string context) =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = context });

    private static async Task<ClusterException?> CountNodes(ClusterConnection connection, ConcurrentQueue<string> events, CancellationToken ct)
    {
        await foreach (var node in new NodeService(connection).ListAsync(null, ct))
        {
            events.Enqueue($"{connection.ContextName} {node.Name}");
        }

        return null;
    }

    [Fact]
    public async Task EachContextsListsStartWithASmallPageAndGoOnInWholeOnes()
    {
        // A fake list of 120 items in pages: the limits asked for are what the test checks; a command of one
        // context (no fan-out) keeps kubectl's chunk from the first page on.
        static async Task<(List<int> Limits, int Items)> ListAsync(CancellationToken ct)
        {
            var limits = new List<int>();
            var items = 0;
            await foreach (var _ in Paging.ListAll<(int[] Items, string? Next), int>(
                (token, limit, _) =>
                {
                    limits.Add(limit);
                    var from = token is null ? 0 : int.Parse(token);
                    var to = Math.Min(120, from + limit);
                    return Task.FromResult((Enumerable.Range(from, to - from).ToArray(), to < 120 ? to.ToString() : null));
                },
                page => page.Items, page => page.Next, new ResourceRef("Node", null), ct))
            {
                items++;
            }

            return (limits, items);
        }

        var alone = await ListAsync(CancellationToken.None);
        Assert.Equal([Paging.PageSize], alone.Limits);

        var fannedOut = new ConcurrentQueue<(List<int> Limits, int Items)>();
        var fanOut = new ContextFanOut(Open, throttleLimit: 2, stopOnFirstFailure: false, _ => { });
        await fanOut.RunAsync(["sandbox", "sandbox-token"], async (_, ct) =>
        {
            fannedOut.Enqueue(await ListAsync(ct));
            return null;
        }, CancellationToken.None);

        Assert.Equal(2, fannedOut.Count);
        Assert.All(fannedOut, list =>
        {
            Assert.Equal([Paging.FirstPageAmongSeveral, Paging.PageSize], list.Limits);
            Assert.Equal(120, list.Items);
        });
    }

    [Fact]
    public async Task ARejectedContextIsOneErrorNamingItAndTheOthersStillAnswer()
    {
        var failures = new ConcurrentQueue<ClusterException>();
        var events = new ConcurrentQueue<string>();
        var fanOut = new ContextFanOut(Open, throttleLimit: 4, stopOnFirstFailure: false, failures.Enqueue);

        await fanOut.RunAsync(["sandbox", "sandbox-badtoken", "sandbox-token"], (c, ct) => CountNodes(c, events, ct), CancellationToken.None);

        var failure = Assert.Single(failures);
        Assert.Equal(ClusterErrorKind.Unauthorized, failure.Kind);
        Assert.Equal("sandbox-badtoken", failure.Target);
        Assert.StartsWith("Context 'sandbox-badtoken': ", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["sandbox cp-1", "sandbox worker-1", "sandbox-token cp-1", "sandbox-token worker-1"], events.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AContextThatHangsHoldsBackNoOtherContextsResults()
    {
        var events = new ConcurrentQueue<string>();
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fanOut = new ContextFanOut(Open, throttleLimit: 2, stopOnFirstFailure: false, _ => { });

        // The first context only finishes once the second one's results are in: run one after the other, this never ends.
        var run = fanOut.RunAsync(["sandbox-token", "sandbox"], async (connection, ct) =>
        {
            if (connection.ContextName == "sandbox-token")
            {
                await othersDone.Task.WaitAsync(ct);
                events.Enqueue("sandbox-token released");
                return null;
            }

            await CountNodes(connection, events, ct);
            othersDone.SetResult();
            return null;
        }, CancellationToken.None);

        await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["sandbox cp-1", "sandbox worker-1", "sandbox-token released"], events);
    }

    [Fact]
    public async Task NoMoreContextsRunAtOnceThanTheThrottleLimit()
    {
        var running = 0;
        var most = 0;
        var started = new ConcurrentQueue<string>();
        var fanOut = new ContextFanOut(Open, throttleLimit: 2, stopOnFirstFailure: false, _ => { });

        await fanOut.RunAsync(["sandbox", "sandbox-token", "sandbox-readonly", "sandbox"], async (connection, ct) =>
        {
            started.Enqueue(connection.ContextName);
            lock (started)
            {
                most = Math.Max(most, ++running);
            }

            await Task.Yield();
            await CountNodes(connection, new ConcurrentQueue<string>(), ct);
            lock (started)
            {
                running--;
            }

            return null;
        }, CancellationToken.None);

        Assert.Equal(2, most);
        Assert.Equal(["sandbox", "sandbox", "sandbox-readonly", "sandbox-token"], started.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StopOnFirstFailureStartsNoLaterContextAndSaysWhereTheRunStopped()
    {
        var ran = new ConcurrentQueue<string>();
        var failures = new ConcurrentQueue<ClusterException>();
        var fanOut = new ContextFanOut(Open, throttleLimit: 1, stopOnFirstFailure: true, failures.Enqueue);

        var stop = await Assert.ThrowsAsync<ClusterException>(() => fanOut.RunAsync(["sandbox", "sandbox-badtoken", "sandbox-token"], (connection, ct) =>
        {
            ran.Enqueue(connection.ContextName);
            return CountNodes(connection, new ConcurrentQueue<string>(), ct);
        }, CancellationToken.None));

        Assert.Equal(["sandbox", "sandbox-badtoken"], ran);
        Assert.Single(failures);
        Assert.Equal(ClusterErrorKind.Unauthorized, stop.Kind);
        Assert.EndsWith("Done: sandbox; failed: sandbox-badtoken; not started: sandbox-token.", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStagedChangeIsTheRunnersRolloutOfContextsTheRunningOnesFinishAndNoneStartsAfterTheFailure()
    {
        var failures = new ConcurrentQueue<ClusterException>();
        var ran = new ConcurrentQueue<string>();
        var failureSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new ProgressLog();
        var fanOut = new ContextFanOut(Open, throttleLimit: 2, stopOnFirstFailure: true, failure =>
        {
            failures.Enqueue(failure);
            failureSeen.TrySetResult();
        }, progress);

        // sandbox-token runs beside the failing context and ends only after its failure was reported: a slot then
        // frees, and still no later context starts.
        var stop = await Assert.ThrowsAsync<ClusterException>(() => fanOut.RunAsync(["sandbox-badtoken", "sandbox-token", "sandbox", "sandbox-readonly"], async (connection, ct) =>
        {
            ran.Enqueue(connection.ContextName);
            if (connection.ContextName == "sandbox-token")
            {
                await failureSeen.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            }

            return await CountNodes(connection, new ConcurrentQueue<string>(), ct);
        }, CancellationToken.None));

        Assert.Equal(["sandbox-badtoken", "sandbox-token"], ran.Order(StringComparer.Ordinal));
        Assert.Equal("sandbox-badtoken", Assert.Single(failures).Target);
        Assert.StartsWith("The rollout stopped at its first failure: Context 'sandbox-badtoken': ", stop.Message, StringComparison.Ordinal);
        Assert.EndsWith("Done: sandbox-token; failed: sandbox-badtoken; not started: sandbox, sandbox-readonly.", stop.Message, StringComparison.Ordinal);
        Assert.Equal("sandbox-badtoken", stop.Target);
        // The runner's progress: there from the start (each context's bars nest under it), one step per context that ended, then its stop.
        Assert.Equal(["0 of 4 done", "1 of 4 done", "2 of 4 done", "Stopped"], progress.Statuses);
    }

    [Fact]
    public async Task AFailureTheOperationReportedItselfCountsButIsNotReportedTwice()
    {
        var failures = new ConcurrentQueue<ClusterException>();
        var ran = new ConcurrentQueue<string>();
        var fanOut = new ContextFanOut(Open, throttleLimit: 1, stopOnFirstFailure: true, failures.Enqueue);
        var reported = new ClusterException(ClusterErrors.Resource.NotFound.About("Node"), "Node 'worker-9' was not found.", "worker-9");

        var stop = await Assert.ThrowsAsync<ClusterException>(() => fanOut.RunAsync(["sandbox-token", "sandbox"], (connection, _) =>
        {
            ran.Enqueue(connection.ContextName);
            return Task.FromResult<ClusterException?>(reported);
        }, CancellationToken.None));

        Assert.Empty(failures);
        Assert.Equal(["sandbox-token"], ran);
        Assert.Contains("Context 'sandbox-token': Node 'worker-9' was not found.", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionIsCachedPerContextAndDisposedWhenTheKubeconfigChanges()
    {
        var first = Open("sandbox");
        Assert.Same(first, Open("sandbox"));
        Assert.NotSame(first, Open("sandbox-token"));

        File.SetLastWriteTimeUtc(emulator.KubeconfigPath, File.GetLastWriteTimeUtc(emulator.KubeconfigPath).AddSeconds(1));
        var second = Open("sandbox");

        Assert.NotSame(first, second);
        // KubernetesClient's disposed client fails with whatever its released HttpClient left behind, not ObjectDisposedException.
        await Assert.ThrowsAnyAsync<Exception>(() => first.Client.CoreV1.ListNodeAsync());
        Assert.NotEmpty((await second.Client.CoreV1.ListNodeAsync()).Items);
    }

    private sealed class ProgressLog : IOperationLog
    {
        public ConcurrentQueue<string> Statuses { get; } = new();

        public void Verbose(string message) { }

        public void Warning(string message) { }

        public void Progress(OperationProgress progress) => Statuses.Enqueue(progress.Status);

        public void Secret(string value) { }
    }
}
