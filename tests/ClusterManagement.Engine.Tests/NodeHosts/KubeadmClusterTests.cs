using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Runtime;
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

    private static NewNodeRequest ControlPlane(string? key) => new()
    {
        Name = "cp-9",
        Ssh = new SshTarget("127.0.0.1", 9, "cmadmin"),
        Engine = new EngineTarget(EngineSource.Distribution, "latest", null),
        Roles = ["control-plane"],
        CertificateKey = key,
    };

    [Fact]
    public void AControlPlaneJoinNeedsAKeyOfKubeadmsFormAndAKeyNeedsAControlPlaneJoin()
    {
        var missing = Assert.Throws<ClusterException>(() => KubeadmCluster.RequireCertificateKeyForm(ControlPlane(null)));
        var malformed = Assert.Throws<ClusterException>(() => KubeadmCluster.RequireCertificateKeyForm(ControlPlane("abc123")));
        var worker = Assert.Throws<ClusterException>(() => KubeadmCluster.RequireCertificateKeyForm(new NewNodeRequest { Name = "worker-9", Ssh = new SshTarget("127.0.0.1", 9, "cmadmin"), Engine = new EngineTarget(EngineSource.Distribution, "latest", null), CertificateKey = new string('a', 64) }));
        KubeadmCluster.RequireCertificateKeyForm(ControlPlane(new string('0', 64)));

        Assert.Equal(ClusterErrors.CertificateKeyMissing, missing.Error);
        Assert.Contains("kubeadm init phase upload-certs --upload-certs", missing.Message);
        Assert.Equal(ClusterErrors.CertificateKeyInvalid, malformed.Error);
        Assert.Equal(ClusterErrors.CertificateKeyInvalid, worker.Error);
    }

    [Fact]
    public async Task AControlPlaneJoinIsRefusedBeforeTheHostWithoutUploadedCertificatesOrAStableEndpoint()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false });
        var connection = Connect(emulator);

        var noCertificates = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(connection).RunAsync(ControlPlane(new string('0', 64)), CancellationToken.None));
        emulator.Store.Mutate(CoreKinds.ConfigMaps, "kube-system", "kubeadm-config", c =>
        {
            c["data"]!["ClusterConfiguration"] = c["data"]!["ClusterConfiguration"]!.GetValue<string>().Replace("controlPlaneEndpoint: ", "controlPlaneEndpoint: \"\"\n#", StringComparison.Ordinal);
            return true;
        });
        var noEndpoint = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(connection).RunAsync(ControlPlane(new string('0', 64)), CancellationToken.None));

        Assert.Equal(ClusterErrors.ControlPlaneCertificatesNotFound, noCertificates.Error);
        Assert.Contains("kube-system/kubeadm-certs does not exist", noCertificates.Message);
        Assert.Equal(ClusterErrors.ControlPlaneEndpointMissing, noEndpoint.Error);
        Assert.DoesNotContain(emulator.Requests.All, r => r.Method != "GET");
    }

    [Fact]
    public async Task AReadyNodeOfTheNameIsRefusedBeforeTheHostWhileANotReadyLeftoverIsTakenOverAsKubeadmDoes()
    {
        // kubeadm's kubelet-start phase refuses only a Ready Node of the joining name (phases/join/kubelet.go).
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false });
        var connection = Connect(emulator);
        var request = new NewNodeRequest { Name = "worker-1", Ssh = new SshTarget("127.0.0.1", 9, "cmadmin"), Engine = new EngineTarget(EngineSource.Distribution, "latest", null) };

        var ready = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(connection).RunAsync(request, CancellationToken.None));

        Assert.Equal(ClusterErrors.NodeAlreadyExists, ready.Error);
        Assert.Equal("worker-1", ready.Target);
        Assert.Contains("A Ready Node named worker-1", ready.Message);
        Assert.Contains("Nothing was changed", ready.Message);
        Assert.DoesNotContain(emulator.Requests.All, r => r.Method != "GET");

        emulator.Heartbeats.Stop("worker-1");
        emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-1", n =>
        {
            Emulator.Kinds.NodeConditions.MarkUnknown(n, DateTimeOffset.UtcNow);
            return true;
        });
        var leftover = await Assert.ThrowsAsync<ClusterException>(() => Provisioner(connection).RunAsync(request, CancellationToken.None));

        // Past the check: the join goes on to the host, and stops at the SSH key this test does not have.
        Assert.Equal(ClusterErrors.SshKeyUnreadable, leftover.Error);
    }

    [Fact]
    public void TheControlPlaneJoinConfigurationCarriesTheKeyAndAWorkersDoesNot()
    {
        var controlPlane = System.Text.Json.Nodes.JsonNode.Parse(KubeadmJoinConfiguration.Render("kubeadm.k8s.io/v1beta4", "127.0.0.1:6443", "abcdef.0123456789abcdef", "sha256:00", "cp-9", RuntimeTarget.ContainerdSocket, certificateKey: new string('f', 64)))!;
        var worker = System.Text.Json.Nodes.JsonNode.Parse(KubeadmJoinConfiguration.Render("kubeadm.k8s.io/v1beta4", "127.0.0.1:6443", "abcdef.0123456789abcdef", "sha256:00", "worker-9", RuntimeTarget.ContainerdSocket))!;

        Assert.Equal(new string('f', 64), (string?)controlPlane["controlPlane"]!["certificateKey"]);
        Assert.Null(worker["controlPlane"]);
        Assert.Equal(RuntimeTarget.ContainerdSocket, (string?)controlPlane["nodeRegistration"]!["criSocket"]);
    }
}
