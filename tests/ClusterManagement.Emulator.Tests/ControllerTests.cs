using System.Net;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

public sealed class ControllerTests : IAsyncLifetime
{
    private KubeEmulator _emulator = null!;

    // Heartbeat times have second precision, so the grace must exceed a second plus the heartbeat interval.
    public async Task InitializeAsync() =>
        _emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, SeedPods = false, HeartbeatSeconds = 0.2, NodeGraceSeconds = 2.5 });

    public Task DisposeAsync() => _emulator.DisposeAsync().AsTask();

    [Fact]
    public async Task SilentNodeTurnsUnknownAndRecoversWhenHeartbeatsResume()
    {
        _emulator.Heartbeats.Stop("worker-1");

        var unknown = await Eventually.ReturnsAsync(() => Node("worker-1") is { } n && n.Condition("Ready")!.StringAt("status") == "Unknown" ? n : null,
            "worker-1 to turn Unknown");
        var ready = unknown.Condition("Ready")!;
        Assert.Equal(("NodeStatusUnknown", "Kubelet stopped posting node status."), (ready.StringAt("reason"), ready.StringAt("message")));
        Assert.Equal(["NoSchedule", "NoExecute"], unknown.ObjectsAt("spec", "taints")
            .Where(t => t.StringAt("key") == "node.kubernetes.io/unreachable").Select(t => t.StringAt("effect")));
        Assert.Equal("True", Node("worker-2")!.Condition("Ready")!.StringAt("status"));

        _emulator.Heartbeats.Resume("worker-1");

        var recovered = await Eventually.ReturnsAsync(() => Node("worker-1") is { } n && n.Condition("Ready")!.StringAt("status") == "True" ? n : null,
            "worker-1 to be Ready again");
        Assert.Equal("KubeletReady", recovered.Condition("Ready")!.StringAt("reason"));
        Assert.Null(recovered.At("spec", "taints"));
    }

    [Fact]
    public async Task NodeWhoseStatusAClientWritesIsNotHeartbeatedByTheEmulator()
    {
        using var api = new ApiClient(_emulator.CreateClient());
        var (status, _) = await api.PatchAsync("/api/v1/nodes/worker-2/status", """{"status":{"nodeInfo":{"bootID":"x"}}}""", "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, status);

        await Eventually.IsTrueAsync(() => Node("worker-2")!.Condition("Ready")!.StringAt("status") == "Unknown", "externally heartbeated worker-2 to go silent");
    }

    private System.Text.Json.Nodes.JsonObject? Node(string name) => _emulator.Store.Get(CoreKinds.Nodes, null, name);
}
