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
}
