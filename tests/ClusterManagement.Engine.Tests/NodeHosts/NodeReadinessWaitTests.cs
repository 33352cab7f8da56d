using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Nodes;

namespace ClusterManagement.Tests.NodeHosts;

public sealed class NodeReadinessWaitTests
{
    [Fact]
    public async Task ACancelledWaitThrowsInsteadOfReturningTheLastStateSeen()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // worker-1 stays Ready: only the cancellation can end this wait. New-ClusterNode went on to record the node as if it were Ready.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            NodeReadinessWait.UntilAsync(connection, "worker-1", r => r == NodeReadiness.NotReady, TimeSpan.FromMinutes(1), NullOperationLog.Instance, stop.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AReadyStatusFromBeforeTheKubeletsStartIsNotReadyFromTheNewKubelet()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });

        // worker-1 is Ready, but no heartbeat of it is as new as a kubelet started an hour from now: as after a restart whose kubelet never came up.
        var startedLater = DateTime.UtcNow.AddHours(1);
        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            NodeReadinessWait.UntilKubeletReadyAsync(connection, "worker-1", startedLater, TimeSpan.FromSeconds(2), NullOperationLog.Instance, CancellationToken.None));
        Assert.Equal(ClusterErrors.NodeReadinessTimeout, failure.Error);
        Assert.StartsWith($"Node worker-1 did not report Ready from the kubelet running since {startedLater:yyyy-MM-dd HH:mm:ss}Z within 00:00:02 (it is Ready).", failure.Message, StringComparison.Ordinal);

        var startedBefore = DateTime.UtcNow.AddHours(-1);
        var node = await NodeReadinessWait.UntilKubeletReadyAsync(connection, "worker-1", startedBefore, TimeSpan.FromSeconds(10), NullOperationLog.Instance, CancellationToken.None);
        Assert.Equal(NodeReadiness.Ready, node!.Readiness);
    }
}
