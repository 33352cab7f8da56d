using ClusterManagement.Connection;
using ClusterManagement.Emulator;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Nodes;
using Xunit;

namespace ClusterManagement.Tests.Nodes;

/// <summary>
/// The module judges a node by its Ready condition, never by how fresh lastHeartbeatTime is: a 1.32
/// kubelet posts an unchanged status only every 5 minutes and keeps its Lease, and the node lifecycle
/// controller turns Ready to Unknown when the Lease stops (issue 17).
/// </summary>
public sealed class NodeHealthTests
{
    [Fact]
    public async Task ANodeWithAnOldHeartbeatButAFreshLeaseIsReadyAndOneWhoseLeaseStoppedIsNot()
    {
        var grace = TimeSpan.FromSeconds(2.5);
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, SeedPods = false, HeartbeatSeconds = 0.2, NodeGraceSeconds = grace.TotalSeconds });
        var nodes = new NodeService(ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" }));
        emulator.Heartbeats.Stop("worker-2");

        await Task.Delay(grace + TimeSpan.FromSeconds(1.5));

        var renewing = await nodes.GetAsync("worker-1", CancellationToken.None);
        Assert.Equal(NodeReadiness.Ready, renewing.Readiness);
        Assert.True(DateTime.UtcNow - renewing.Conditions.Single(c => c.Type == "Ready").LastHeartbeatTime > grace, "the status was posted longer ago than the grace period");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        ClusterNode silent;
        while ((silent = await nodes.GetAsync("worker-2", CancellationToken.None)).Readiness == NodeReadiness.Ready && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(NodeReadiness.NotReady, silent.Readiness);
        Assert.Equal("Unknown", silent.Conditions.Single(c => c.Type == "Ready").Status);
    }
}
