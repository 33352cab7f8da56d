using System.Net;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

public sealed class ControllerTests : IAsyncLifetime
{
    private KubeEmulator _emulator = null!;

    // Heartbeat times have second precision, so the grace must exceed a second plus the heartbeat interval.
    // The kubelets' nodeStatusReportFrequency stays at its 5 minutes unless a test changes it.
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

        // The kubelet posts Ready (its status differs from the stored one); the controller then lifts the taints.
        var recovered = await Eventually.ReturnsAsync(() => Node("worker-1") is { } n && n.Condition("Ready")!.StringAt("status") == "True" ? n : null,
            "worker-1 to be Ready again");
        Assert.Equal("KubeletReady", recovered.Condition("Ready")!.StringAt("reason"));
        await Eventually.IsTrueAsync(() => Node("worker-1")!.At("spec", "taints") is null, "the unreachable taints to go");
    }

    [Fact]
    public async Task NodeWhoseStatusAClientWritesIsNotHeartbeatedByTheEmulator()
    {
        using var api = new ApiClient(_emulator.CreateClient());
        var (status, _) = await api.PatchAsync("/api/v1/nodes/worker-2/status", """{"status":{"nodeInfo":{"bootID":"x"}}}""", "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, status);

        await Eventually.IsTrueAsync(() => Node("worker-2")!.Condition("Ready")!.StringAt("status") == "Unknown", "externally heartbeated worker-2 to go silent");
    }

    [Fact]
    public async Task KubeletPostsAnUnchangedStatusOnlyEveryReportPeriodAndRenewsItsLeaseEveryInterval()
    {
        // pkg/kubelet/kubelet_node_status.go: nodeStatusReportFrequency (5m) for an unchanged status;
        // the Lease (renew interval 10 s here 0.2 s) is the liveness signal in between.
        var heartbeat = Node("worker-1")!.Condition("Ready")!.StringAt("lastHeartbeatTime");
        var renewed = (await Eventually.ReturnsAsync(() => LeaseRenewTime("worker-1") is { } t ? (object)t : null, "worker-1's Lease")) as DateTimeOffset?;

        await Task.Delay(TimeSpan.FromSeconds(3.5));

        var node = Node("worker-1")!;
        Assert.Equal(heartbeat, node.Condition("Ready")!.StringAt("lastHeartbeatTime"));
        Assert.True(LeaseRenewTime("worker-1") > renewed, "the Lease is renewed every interval");
        // Older than the 2.5 s grace, yet Ready: the lifecycle controller judges by the Lease.
        Assert.Equal("True", node.Condition("Ready")!.StringAt("status"));

        _emulator.Settings.NodeStatusReportFrequency = TimeSpan.FromSeconds(1);
        await Eventually.IsTrueAsync(() => Node("worker-1")!.Condition("Ready")!.StringAt("lastHeartbeatTime") != heartbeat, "the report period to post the status again");
    }

    [Fact]
    public async Task NodeWhoseLeaseStopsRenewingTurnsUnknownThoughNothingElseChanged()
    {
        // A client kubelet (the fleet's stand-in) posts its status once and then only renews its Lease.
        using var api = new ApiClient(_emulator.CreateClient());
        var (status, _) = await api.PatchAsync("/api/v1/nodes/worker-2/status", """{"status":{"nodeInfo":{"bootID":"x"}}}""", "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, status);
        var renewUntil = DateTimeOffset.UtcNow.AddSeconds(4);
        while (DateTimeOffset.UtcNow < renewUntil)
        {
            var renewTime = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            (status, _) = await api.PatchAsync("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-2", $$$"""{"spec":{"renewTime":"{{{renewTime}}}"}}""", "application/merge-patch+json");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("True", Node("worker-2")!.Condition("Ready")!.StringAt("status"));
            await Task.Delay(300);
        }

        var unknown = await Eventually.ReturnsAsync(() => Node("worker-2") is { } n && n.Condition("Ready")!.StringAt("status") == "Unknown" ? n : null,
            "worker-2 to turn Unknown once its Lease stops");
        Assert.Equal("Kubelet stopped posting node status.", unknown.Condition("Ready")!.StringAt("message"));
    }

    private DateTimeOffset? LeaseRenewTime(string node) =>
        Timestamps.Parse(_emulator.Store.Get(_emulator.Registry.Find("coordination.k8s.io", "v1", "leases")!, "kube-node-lease", node)?.StringAt("spec", "renewTime"));

    private System.Text.Json.Nodes.JsonObject? Node(string name) => _emulator.Store.Get(CoreKinds.Nodes, null, name);
}
