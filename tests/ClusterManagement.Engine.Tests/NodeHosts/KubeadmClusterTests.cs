using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>New-ClusterNode joins kubeadm clusters only and refuses any other before it touches a host (issue 17).</summary>
public sealed class KubeadmClusterTests
{
    private static ClusterConnection Connect(KubeEmulator emulator) =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });

    /// <summary>Port 9 on loopback: nothing answers there, so a join that got as far as SSH fails as NodeUnreachable.</summary>
    private static NewNodeRequest Request() => new()
    {
        Name = "worker-9",
        Ssh = new SshTarget("127.0.0.1", 9, "cmadmin"),
        Engine = new EngineTarget(EngineSource.Distribution, "latest", null),
    };

    private static NodeProvisioner Provisioner(ClusterConnection connection) =>
        new(connection, new NodeConnector(connection, new NodeAccessOptions { KeyPath = "/nonexistent/key", KnownHostsPath = "/nonexistent/known_hosts" }, NullOperationLog.Instance), NullOperationLog.Instance);

    [Fact]
    public async Task ReadsTheControlPlaneEndpointAndVersionKubeadmInitRecorded()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false });

        var cluster = await KubeadmCluster.ReadAsync(Connect(emulator), CancellationToken.None);

        Assert.Equal(new Uri(emulator.Url).Authority, cluster.ControlPlaneEndpoint);
        Assert.Equal("v1.32.4", cluster.KubernetesVersion);
    }

    [Fact]
    public async Task AClusterNotMadeByKubeadmIsRefusedBeforeTheHostIsContactedOrATokenCreated()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false, KubeadmObjects = false });

        var e = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(Connect(emulator)).RunAsync(Request(), CancellationToken.None));

        Assert.Equal(ClusterErrors.ClusterInfoNotFound, e.Error);
        Assert.Contains("kube-public/cluster-info", e.Message);
        Assert.Contains("kubeadm init phase bootstrap-token", e.Message);
        Assert.DoesNotContain(emulator.Store.List(CoreKinds.Secrets, "kube-system").Items, s => s.Name.StartsWith("bootstrap-token-", StringComparison.Ordinal));
        Assert.DoesNotContain(emulator.Requests.All, r => r.Method != "GET");
    }

    [Fact]
    public async Task AClusterWithoutKubeadmConfigIsRefusedNamingIt()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false });
        emulator.Store.Delete(CoreKinds.ConfigMaps, "kube-system", "kubeadm-config");

        var e = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(Connect(emulator)).RunAsync(Request(), CancellationToken.None));

        Assert.Equal(ClusterErrors.KubeadmConfigNotFound, e.Error);
        Assert.Contains("kubeadm init phase upload-config kubeadm", e.Message);
    }

    [Fact]
    public async Task AKubeadmClusterGetsAsFarAsTheHost()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false });

        var e = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(Connect(emulator)).RunAsync(Request(), CancellationToken.None));

        // The refusals above come from the cluster check, not from a host that cannot be reached.
        Assert.NotEqual(ClusterErrors.ClusterInfoNotFound, e.Error);
        Assert.NotEqual(ClusterErrors.KubeadmConfigNotFound, e.Error);
    }
}
