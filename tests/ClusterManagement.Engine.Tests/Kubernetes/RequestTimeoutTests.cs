using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

/// <summary>Every API request is bounded, retries are few and said aloud, and none starts after the deadline.</summary>
public sealed class RequestTimeoutTests
{
    private static readonly ResourceRef Nodes = new("Node", null);
    private static readonly ResourceRef Worker = new("Node", "worker-1");

    private static ClusterConnection Connect(KubeEmulator emulator) =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });

    private static Task<V1NodeList> ListNodes(ClusterConnection connection, CancellationToken cancellationToken) =>
        KubeApi.Call(ct => connection.Client.CoreV1.ListNodeAsync(cancellationToken: ct), Nodes, cancellationToken);

    private static ObjectWatch.ReadCurrent<V1Node> ReadNode(ClusterConnection connection) => async ct =>
    {
        var node = await connection.Client.CoreV1.ReadNodeAsync("worker-1", cancellationToken: ct);
        return (node, node.Metadata.ResourceVersion);
    };

    private static ObjectWatch.WatchFrom<V1Node> WatchNode(ClusterConnection connection) => (rv, onError, ct) =>
        connection.Client.CoreV1.WatchListNodeAsync(fieldSelector: "metadata.name=worker-1", resourceVersion: rv, onError: onError, cancellationToken: ct);

    private static bool Labelled(V1Node? node) => node?.Metadata.Labels?.ContainsKey("ready-for-test") == true;

    [Fact]
    public async Task AServerThatNeverAnswersFailsWithinTheRequestTimeoutAndOneRetry()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/nodes", Hang = true, Times = 2 });
        var log = new RecordingLog();
        using var bound = ApiRequestTimeout.Apply(TimeSpan.FromSeconds(1));
        using var listener = ApiRequestLog.Attach(log);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterException>(() => ListNodes(connection, CancellationToken.None));

        clock.Stop();
        Assert.Equal(ClusterErrorKind.Timeout, error.Kind);
        Assert.Equal("ApiRequestTimeout", error.ErrorId);
        Assert.Contains(emulator.Url, error.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within 1 s", error.Message, StringComparison.Ordinal);
        // Both attempts hung (the rule is used up), and no third one was made: it would have been answered.
        Assert.Empty(emulator.Faults.Rules);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
        Assert.Single(log.Messages, m => m.Contains("Retrying in 200 ms (retry 1 of 1)", StringComparison.Ordinal) && m.Contains(emulator.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoRetryStartsAfterTheOperationsDeadline()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        // Connected and TLS done before the clock starts: on a loaded machine the handshake alone can outlast
        // the deadline, and then not even the first attempt reaches the server.
        await ListNodes(connection, CancellationToken.None);
        emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/nodes", Hang = true, Times = 2 });
        using var bound = ApiRequestTimeout.Apply(TimeSpan.FromSeconds(1));
        // The first attempt times out at 1 s; the deadline falls inside the 200 ms pause before the retry.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(1100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ListNodes(connection, deadline.Token));

        var left = Assert.Single(emulator.Faults.Rules);
        Assert.Equal(1, left.Remaining);
    }

    [Fact]
    public async Task ARefusedConnectionIsRetriedWithWaitsOfUnderASecondInAll()
    {
        var port = UnusedPort();
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("refused-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: nowhere
              cluster:
                server: https://127.0.0.1:{port}
                insecure-skip-tls-verify: true
            users:
            - name: someone
              user:
                token: not-used
            contexts:
            - name: nowhere
              context: {"{"}cluster: nowhere, user: someone{"}"}
            current-context: nowhere
            """);
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = kubeconfig });
        var log = new RecordingLog();
        using var listener = ApiRequestLog.Attach(log);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterException>(() => ListNodes(connection, CancellationToken.None));

        clock.Stop();
        Assert.Equal(ClusterErrorKind.Unreachable, error.Kind);
        Assert.Equal("ApiServerUnreachable", error.ErrorId);
        var retries = log.Messages.Where(m => m.Contains("Retrying in", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, retries.Count);
        // The waits the client chose, not the wall clock: on a loaded machine the first request of a
        // process also pays for JIT and a refused connect can be slow to come back.
        var waited = retries.Sum(m => int.Parse(System.Text.RegularExpressions.Regex.Match(m, @"Retrying in (\d+) ms").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(waited < 1000, $"waited {waited} ms between retries: {string.Join(" | ", retries)}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.ElapsedMilliseconds} ms");
        File.Delete(kubeconfig);
    }

    [Fact]
    public async Task AHealthyWatchOutlivesTheRequestTimeout()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        var log = new RecordingLog();
        using var bound = ApiRequestTimeout.Apply(TimeSpan.FromSeconds(1));
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-1", node =>
            {
                node["metadata"]!["labels"]!.AsObject()["ready-for-test"] = "yes";
                return true;
            });
        });

        var clock = Stopwatch.StartNew();

        var result = await ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(20), log, CancellationToken.None);

        Assert.Equal(WatchEnd.Done, result.End);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2), $"ended after {clock.Elapsed}, before the change");
        // A watch cut by the request timeout would have been resumed, and said so.
        Assert.DoesNotContain(log.Messages, m => m.Contains("broke", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWatchWhoseConnectNeverAnswersEnds()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        // The collection path matches the watch only, not the read of the node.
        emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/nodes", Hang = true });
        var log = new RecordingLog();
        using var bound = ApiRequestTimeout.Apply(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterException>(() =>
            ObjectWatch.UntilAsync(ReadNode(connection), WatchNode(connection), Labelled, Worker, TimeSpan.FromSeconds(60), log, CancellationToken.None));

        Assert.Equal("ApiRequestTimeout", error.ErrorId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains(log.Messages, m => m.Contains("broke", StringComparison.Ordinal) && m.Contains("did not answer", StringComparison.Ordinal));
    }

    [Fact]
    public void ABoundOutsideZeroToADayIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ApiRequestTimeout.Apply(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApiRequestTimeout.Apply(TimeSpan.FromDays(2)));
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
