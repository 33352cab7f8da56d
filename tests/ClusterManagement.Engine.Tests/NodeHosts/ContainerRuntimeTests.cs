using System.Text.Json.Nodes;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Runtime;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;
using k8s.Models;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>The kubelet's side of a node: which CRI runtime it gets, how that runtime is set up and proven, and what NotReady for want of CNI means.</summary>
public sealed class ContainerRuntimeTests
{
    private const string Ok = "HTTP/2 200 \r\ncontent-type: application/grpc\r\n\r\ngrpc-status: 0\r\ngrpc-message: \r\n";

    private static CommandResult Recorded() =>
        new(0, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "NodeHosts", "Data", "containerd-1.6.20-cri-status.base64")), Ok);

    [Fact]
    public void ReadsContainerdsConditionsAndTheConfigurationItLoadedFromARealStatusAnswer()
    {
        var status = CriProbe.Parse(Recorded(), "worker-1", RuntimeTarget.ContainerdSocket);

        Assert.Equal(new CriCondition("RuntimeReady", true, string.Empty, string.Empty), status.Condition("RuntimeReady"));
        Assert.Equal(new CriCondition("NetworkReady", false, "NetworkPluginNotReady", "Network plugin returns error: cni plugin not initialized"), status.Condition("NetworkReady"));
        var config = status.LoadedConfig!.Value;
        Assert.True(config.GetProperty("containerd").GetProperty("runtimes").GetProperty("runc").GetProperty("options").GetProperty("SystemdCgroup").GetBoolean());
        Assert.Equal("registry.k8s.io/pause:3.10", config.GetProperty("sandboxImage").GetString());
    }

    [Theory]
    // containerd with its CRI plugin disabled (Docker's containerd.io config.toml) answers every CRI call so.
    [InlineData("HTTP/2 200 \r\ncontent-type: application/grpc\r\ngrpc-status: 12\r\ngrpc-message: unknown%20service%20runtime.v1.RuntimeService\r\n", "gRPC status 12: unknown service runtime.v1.RuntimeService")]
    [InlineData("curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server\n", "curl: (7) Failed to connect")]
    public void ARuntimeThatDoesNotAnswerCriIsNotReady(string stderr, string reason)
    {
        var error = Assert.Throws<ClusterException>(() => CriProbe.Parse(new CommandResult(0, string.Empty, stderr), "worker-1", RuntimeTarget.ContainerdSocket));

        Assert.Equal("ContainerRuntimeNotReady", error.ErrorId);
        Assert.Contains($"No CRI runtime answers on {RuntimeTarget.ContainerdSocket} on worker-1", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void SomethingElseAnsweringIsNoCriRuntime()
    {
        var error = Assert.Throws<ClusterException>(() => CriProbe.Parse(new CommandResult(0, Convert.ToBase64String([0, 0, 0, 0, 9, 0x0a, 0x50]), Ok), "worker-1", RuntimeTarget.ContainerdSocket));

        Assert.Equal("ContainerRuntimeNotReady", error.ErrorId);
        Assert.Contains("is not a CRI runtime", error.Message);
    }

    [Fact]
    public void TheProbeSendsAVerboseStatusRequestInItsGrpcFrame()
    {
        var script = CriProbe.Script("/run/containerd/containerd.sock");

        Assert.StartsWith(@"printf '\000\000\000\000\002\010\001' | curl ", script);
        Assert.Contains("--http2-prior-knowledge --unix-socket '/run/containerd/containerd.sock'", script);
        Assert.Contains("http://localhost/runtime.v1.RuntimeService/Status", script);
    }

    [Fact]
    public void DockerAsTheRuntimeNeedsCriDockerd()
    {
        var error = Assert.Throws<ClusterException>(() => RuntimeTarget.Create(ContainerRuntimeKind.Docker, null));
        Assert.Equal("CriDockerdPackageMissing", error.ErrorId);
        Assert.Contains("-CriDockerdPackage", error.Message);

        Assert.Equal("CriDockerdPackageInvalid", Assert.Throws<ClusterException>(() => RuntimeTarget.Create(ContainerRuntimeKind.Containerd, "cri-dockerd")).ErrorId);
        Assert.Equal("CriDockerdPackageInvalid", Assert.Throws<ClusterException>(() => RuntimeTarget.Create(ContainerRuntimeKind.Docker, "/nonexistent/cri-dockerd.deb")).ErrorId);
        Assert.Equal("CriDockerdPackageInvalid", Assert.Throws<ClusterException>(() => RuntimeTarget.Create(ContainerRuntimeKind.Docker, "-o=evil")).ErrorId);

        var named = RuntimeTarget.Create(ContainerRuntimeKind.Docker, "cri-dockerd");
        Assert.False(named.CriDockerdIsFile);
        Assert.Equal(RuntimeTarget.CriDockerdSocket, named.CriSocket);
        Assert.Equal("docker", named.ReportedName);
    }

    [Fact]
    public void ACriDockerdPackageFileIsTakenByItsFullPath()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cm-cri-").FullName, "cri-dockerd_0.3.16.3-0.debian-bookworm_amd64.deb");
        File.WriteAllBytes(file, [0x21]);
        try
        {
            var target = RuntimeTarget.Create(ContainerRuntimeKind.Docker, file);
            Assert.True(target.CriDockerdIsFile);
            Assert.Equal(file, target.CriDockerdPackage);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("1.31.4-1.1", "registry.k8s.io/pause:3.10")]
    [InlineData("1.32.4-1.1", "registry.k8s.io/pause:3.10")]
    [InlineData("1.30.2-1.1", "registry.k8s.io/pause:3.9")]
    [InlineData("1.26.0-00", "registry.k8s.io/pause:3.9")]
    [InlineData("1.34.1-1.1", "registry.k8s.io/pause:3.10.1")]
    public void ThePauseImageIsKubeadms(string kubeadm, string image) =>
        Assert.Equal(image, RuntimeTarget.PauseImageFor(kubeadm, "n1"));

    [Fact]
    public void ContainerdGetsItsCriPluginWithSystemdCgroupsAndThePauseImage()
    {
        var debian = ContainerRuntimeSetup.ContainerdConfig("registry.k8s.io/pause:3.10", EngineSource.Distribution);

        Assert.StartsWith("# Written by ClusterManagement", debian);
        Assert.Contains("version = 2\n", debian);
        Assert.DoesNotContain("disabled_plugins", debian);
        Assert.Contains("sandbox_image = \"registry.k8s.io/pause:3.10\"", debian);
        Assert.Contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n        SystemdCgroup = true", debian);
        Assert.Contains("bin_dir = \"/usr/lib/cni\"", debian);
        Assert.Contains("bin_dir = \"/opt/cni/bin\"", ContainerRuntimeSetup.ContainerdConfig("registry.k8s.io/pause:3.10", EngineSource.DockerCE));
    }

    [Fact]
    public void TheJoinNamesTheCriSocket()
    {
        var json = JsonNode.Parse(KubeadmJoinConfiguration.Render("kubeadm.k8s.io/v1beta4", "127.0.0.1:6443", "abcdef.0123456789abcdef", "sha256:00", "worker-9", RuntimeTarget.CriDockerdSocket))!;

        Assert.Equal("unix:///run/cri-dockerd.sock", (string?)json["nodeRegistration"]!["criSocket"]);
        Assert.Equal("worker-9", (string?)json["nodeRegistration"]!["name"]);
    }

    [Fact]
    public void ThePlanSaysWhichRuntimeTheKubeletGets()
    {
        NewNodeRequest Request(RuntimeTarget runtime) => new()
        {
            Name = "worker-9",
            Ssh = new SshTarget("10.0.0.9", 22, "admin"),
            Engine = new EngineTarget(EngineSource.Distribution, "20.10", null),
            Runtime = runtime,
        };

        var containerd = NodeProvisioner.Plan(Request(RuntimeTarget.Create(ContainerRuntimeKind.Containerd, null)));
        Assert.Contains(containerd, s => s.Contains("SystemdCgroup = true", StringComparison.Ordinal) && s.Contains("/etc/containerd/config.toml", StringComparison.Ordinal));
        Assert.Contains(containerd, s => s.Contains("kubeadm join", StringComparison.Ordinal) && s.Contains("unix:///var/run/containerd/containerd.sock", StringComparison.Ordinal));
        Assert.Contains(containerd, s => s.Contains("CNI", StringComparison.Ordinal));

        var docker = NodeProvisioner.Plan(Request(RuntimeTarget.Create(ContainerRuntimeKind.Docker, "cri-dockerd")));
        Assert.Contains(docker, s => s.StartsWith("Install cri-dockerd (cri-dockerd)", StringComparison.Ordinal));
        Assert.Contains(docker, s => s.Contains("kubeadm join", StringComparison.Ordinal) && s.Contains("unix:///run/cri-dockerd.sock", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyAMissingPodNetworkCountsAsJoinedButNotReady()
    {
        const string cni = "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

        Assert.Equal(cni, NodeProvisioner.NodeNetworkMissing(NodeWithReady("False", "KubeletNotReady", cni)));
        Assert.Null(NodeProvisioner.NodeNetworkMissing(NodeWithReady("True", "KubeletReady", "kubelet is posting ready status")));
        Assert.Null(NodeProvisioner.NodeNetworkMissing(NodeWithReady("False", "KubeletNotReady", "container runtime is down")));
        Assert.Null(NodeProvisioner.NodeNetworkMissing(NodeWithReady("False", "KubeletNotReady", $"container runtime not ready: RuntimeReady=false reason: message:, {cni}")));
        Assert.Null(NodeProvisioner.NodeNetworkMissing(NodeWithReady("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")));
    }

    private static ClusterManagement.Nodes.ClusterNode NodeWithReady(string status, string reason, string message) => NodeMapper.ToClusterNode(new V1Node
    {
        Metadata = new V1ObjectMeta { Name = "worker-9", CreationTimestamp = DateTime.UtcNow },
        Status = new V1NodeStatus
        {
            Conditions = [new V1NodeCondition { Type = "Ready", Status = status, Reason = reason, Message = message }],
            NodeInfo = new V1NodeSystemInfo { ContainerRuntimeVersion = "containerd://1.6.20~ds1" },
        },
    });
}
