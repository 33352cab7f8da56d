using System.Text.Json.Nodes;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Kubernetes;

public sealed class ObjectWatchTests
{
    private static readonly ResourceRef Worker = new("Node", "worker-1");

    private static ObjectWatch.ReadCurrent<V1Node> ReadNode(ClusterConnection connection) => async ct =>
    {
        var node = await connection.Client.CoreV1.ReadNodeAsync("worker-1", cancellationToken: ct);
        return (node, node.Metadata.ResourceVersion);
    };

    private static ObjectWatch.WatchFrom<V1Node> WatchNode(ClusterConnection connection) => (rv, onError, ct) =>
        connection.Client.CoreV1.WatchListNodeAsync(fieldSelector: "metadata.name=worker-1", resourceVersion: rv, onError: onError, cancellationToken: ct);

    private static bool Labelled(V1Node? node) => node?.Metadata.Labels?.ContainsKey("ready-for-test") == true;

    private static void LabelLater(KubeEmulator emulator, TimeSpan delay) => _ = Task.Run(async () =>
    {
        await Task.Delay(delay);
        emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-1", node =>
        {
            node["metadata"]!["labels"]!.AsObject()["ready-for-test"] = "yes";
            return true;
        });
    });

    /// <summary>Once the watch is open, the server goes away as in a restart: open watches cut, every request dropped. Returns the rule's id.</summary>
    private static Task<string> OutageLater(KubeEmulator emulator, TimeSpan length, Action? meanwhile = null) => Task.Run(async () =>
    {
        await Task.Delay(300);
        var id = emulator.Faults.Add(new FaultRule { Path = "*", Abort = true, DurationMilliseconds = (int)length.TotalMilliseconds });
        emulator.Store.DisconnectWatches();
        meanwhile?.Invoke();
        return id;
    });

    private static ClusterConnection Connect(KubeEmulator emulator) =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });

    [Fact]
    public async Task EndsWhenTheWatchedChangeArrives()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        LabelLater(emulator, TimeSpan.FromMilliseconds(300));

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(WatchEnd.Done, result.End);
        Assert.True(Labelled(result.Last));
    }

    [Fact]
    public async Task ReportsATimeoutWithTheLastStateSeen()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromMilliseconds(500), NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(WatchEnd.TimedOut, result.End);
        Assert.Equal("worker-1", result.Last?.Metadata.Name);
    }

    [Fact]
    public async Task ReportsCancellationApartFromATimeout()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), NullOperationLog.Instance, cancel.Token);

        Assert.Equal(WatchEnd.Cancelled, result.End);
    }

    [Fact]
    public async Task ACancelledWaitClosesItsWatchOnTheServerAfterEvents()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        using var cancel = new CancellationTokenSource();
        var waiting = ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), NullOperationLog.Instance, cancel.Token);
        for (var i = 0; i < 200 && emulator.Watches.Count == 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(1, emulator.Watches.Count);
        // An event first: KubernetesClient reads what follows with a token of its own that no longer hears the caller.
        emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-1", node =>
        {
            node["metadata"]!["labels"]!.AsObject()["unrelated"] = "yes";
            return true;
        });
        await Task.Delay(300);
        cancel.Cancel();
        Assert.Equal(WatchEnd.Cancelled, (await waiting).End);

        // The server sees the connection close within moments, not when a drain or keep-alive gives up.
        for (var i = 0; i < 20 && emulator.Watches.Count > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, emulator.Watches.Count);
    }

    [Fact]
    public async Task ResumesAfterTheConnectionDrops()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        // The path without the node name matches the watch, not the read of the node itself.
        emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/nodes", Abort = true, Times = 2 });
        var log = new RecordingLog();
        // The change comes only after both watches were dropped, however slow the machine.
        _ = Task.Run(async () =>
        {
            for (var i = 0; i < 400 && emulator.Faults.Rules.Count > 0; i++)
            {
                await Task.Delay(50);
            }

            LabelLater(emulator, TimeSpan.FromMilliseconds(100));
        });

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), log, CancellationToken.None);

        Assert.Equal(WatchEnd.Done, result.End);
        Assert.Contains(log.Messages, m => m.Contains("broke", StringComparison.Ordinal));
        Assert.Empty(emulator.Faults.Rules);
    }

    [Fact]
    public async Task RidesOutAnOutageShorterThanTheTimeout()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        var log = new RecordingLog();
        // The change happens while nobody can see it.
        var outage = OutageLater(emulator, TimeSpan.FromSeconds(3), () => LabelLater(emulator, TimeSpan.FromMilliseconds(500)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), log, CancellationToken.None);

        Assert.Equal(WatchEnd.Done, result.End);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(3), $"ended after {clock.Elapsed}, inside the outage");
        Assert.True(emulator.Faults.Find(await outage)?.Hits > 0);
        Assert.Contains(log.Messages, m => m.Contains("answers again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOutageLongerThanTheTimeoutEndsWithTheFailureNotAPlainTimeout()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        var outage = OutageLater(emulator, TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<ClusterException>(() =>
            ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(2), NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal(ClusterErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("Stopped waiting for Node 'worker-1' after 00:00:02: the API server has not answered", error.Message, StringComparison.Ordinal);
        Assert.True(emulator.Faults.Find(await outage)?.Hits > 0);
    }

    [Fact]
    public async Task ListsAgainWhenTheServerExpiredTheResourceVersion()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3, WatchHistorySize = 5 });
        var connection = Connect(emulator);
        var reads = 0;
        ObjectWatch.ReadCurrent<V1Node> staleFirst = async ct =>
        {
            var (node, rv) = await ReadNode(connection)(ct);
            if (++reads == 1)
            {
                // A resourceVersion the server no longer remembers.
                return (node, "1");
            }

            // The change comes only after the relist, however slow the machine.
            LabelLater(emulator, TimeSpan.FromMilliseconds(100));
            return (node, rv);
        };
        var log = new RecordingLog();

        var result = await ObjectWatch.UntilAsync(staleFirst, WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), log, CancellationToken.None);

        Assert.Equal(WatchEnd.Done, result.End);
        Assert.True(reads >= 2);
        Assert.Contains(log.Messages, m => m.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADeletedObjectIsSeenAsNull()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        _ = Task.Run(async () =>
        {
            await Task.Delay(300);
            emulator.Store.Delete(CoreKinds.Nodes, null, "worker-1");
        });

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), node => node is null, Worker, TimeSpan.FromSeconds(20), NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(WatchEnd.Done, result.End);
        Assert.Null(result.Last);
    }
}
