using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using k8s;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>Where the module finds a node's host and whom it trusts there (issue 13, points 5 and 9).</summary>
public sealed class NodeAccessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cm-node-access-").FullName;

    private static readonly byte[] KeyA = Enumerable.Range(0, 51).Select(i => (byte)i).ToArray();

    private static readonly NodeAccessOptions Access = new() { KeyPath = "/nonexistent/key", KnownHostsPath = "/nonexistent/known_hosts" };

    private static ClusterConnection Connect(KubeEmulator emulator, string context = "sandbox") =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = context });

    private static async Task<ClusterNode> NodeAsync(ClusterConnection connection, string name) => await new NodeService(connection).GetAsync(name, CancellationToken.None);

    private static void Annotate(KubeEmulator emulator, string node, string host, int port, string fingerprint) =>
        emulator.Store.Mutate(CoreKinds.Nodes, null, node, n =>
        {
            var metadata = n["metadata"]!.AsObject();
            var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
            annotations[NodeAnnotations.SshHost] = host;
            annotations[NodeAnnotations.SshPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            annotations[NodeAnnotations.SshUser] = "cmadmin";
            annotations[NodeAnnotations.SshHostKey] = fingerprint;
            metadata["annotations"] = annotations;
            return true;
        });

    [Fact]
    public async Task EmulatedNodesHaveLoopbackAddressesAndNoHostAccessData()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2 });
        var connection = Connect(emulator);
        var connector = new NodeConnector(connection, Access, NullOperationLog.Instance);

        foreach (var name in new[] { "cp-1", "worker-1", "worker-2" })
        {
            var node = await NodeAsync(connection, name);
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(node.InternalIP!)), $"{name} has {node.InternalIP}");
            var error = await Assert.ThrowsAsync<ClusterException>(() => connector.ConnectAsync(node, CancellationToken.None));
            Assert.Equal("NodeHostAccessMissing", error.ErrorId);
            Assert.Contains($"Node {name} has no host access data", error.Message);
        }
    }

    [Fact]
    public async Task AFingerprintPlantedOnTheNodeIsNeverTrusted()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        Annotate(emulator, "worker-1", "127.0.0.9", 2209, SshFingerprint.Of(KeyA));
        var known = Path.Combine(folder, "known_hosts");

        var endpoint = await new NodeConnector(connection, Access, NullOperationLog.Instance).EndpointAsync(await NodeAsync(connection, "worker-1"), CancellationToken.None);
        var policy = new HostKeyPolicy(new KnownHosts(known), acceptNewHostKey: false, endpoint.RecordedHostKey);

        // The annotation still says where to connect (migration) but not whom to trust.
        Assert.Equal(new SshTarget("127.0.0.9", 2209, "cmadmin"), endpoint.Ssh);
        Assert.True(endpoint.FromNodeAnnotations);
        Assert.Null(endpoint.RecordedHostKey);
        Assert.Equal("HostKeyUnknown", Assert.Throws<ClusterException>(() => policy.Verify("127.0.0.9", 2209, "ssh-ed25519", KeyA)).ErrorId);
        Assert.False(File.Exists(known));
    }

    [Fact]
    public async Task ASecondAdminReachesTheHostThroughTheKubeSystemRecordWhateverTheNodeSays()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Connect(emulator);
        Annotate(emulator, "worker-1", "127.0.0.66", 6666, "SHA256:planted");
        await new NodeAccessRecords(connection).SetAsync("worker-1", new NodeAccessRecord("127.0.0.9", 2209, "cmadmin", SshFingerprint.Of(KeyA)), CancellationToken.None);
        var known = Path.Combine(folder, "known_hosts");

        var endpoint = await new NodeConnector(connection, Access, NullOperationLog.Instance).EndpointAsync(await NodeAsync(connection, "worker-1"), CancellationToken.None);
        var verdict = new HostKeyPolicy(new KnownHosts(known), acceptNewHostKey: false, endpoint.RecordedHostKey).Verify("127.0.0.9", 2209, "ssh-ed25519", KeyA);

        Assert.Equal(new SshTarget("127.0.0.9", 2209, "cmadmin"), endpoint.Ssh);
        Assert.False(endpoint.FromNodeAnnotations);
        Assert.Equal(HostKeyVerdict.RecordedInCluster, verdict);
        Assert.Single(new KnownHosts(known).Lookup("127.0.0.9", 2209).Keys);
    }

    [Fact]
    public async Task ParallelWritersKeepEveryEntryAndRemovalTakesOnlyItsOwn()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0 });
        var records = new NodeAccessRecords(Connect(emulator));

        await Parallel.ForEachAsync(Enumerable.Range(1, 16), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await records.SetAsync($"node-{i}", new NodeAccessRecord($"127.0.0.{i}", 2200 + i, "cmadmin", "SHA256:k" + i), ct));
        await records.RemoveAsync("node-3", CancellationToken.None);
        await records.RemoveAsync("never-added", CancellationToken.None);
        var all = await records.ReadAsync(CancellationToken.None);

        Assert.Equal(15, all.Count);
        Assert.DoesNotContain("node-3", all.Keys);
        Assert.Equal(new NodeAccessRecord("127.0.0.16", 2216, "cmadmin", "SHA256:k16"), NodeAccessRecord.Parse("node-16", all["node-16"]));
    }

    [Fact]
    public async Task OnlyAdminsMayWriteTheAccessObject()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0 });
        await new NodeAccessRecords(Connect(emulator)).SetAsync("node-1", new NodeAccessRecord("127.0.0.1", 22, "u", "SHA256:k"), CancellationToken.None);
        var readOnly = new NodeAccessRecords(Connect(emulator, "sandbox-readonly"));

        var error = await Assert.ThrowsAsync<ClusterException>(() => readOnly.SetAsync("node-1", new NodeAccessRecord("127.0.0.66", 22, "u", "SHA256:evil"), CancellationToken.None));

        Assert.Equal(ClusterErrorKind.Forbidden, error.Kind);
        Assert.Equal("SHA256:k", NodeAccessRecord.Parse("node-1", (await readOnly.ReadAsync(CancellationToken.None))["node-1"]).HostKey);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"host\":\"h\",\"port\":0,\"user\":\"u\",\"hostKey\":\"SHA256:k\"}")]
    [InlineData("{\"host\":\"h\",\"port\":22,\"user\":\"u\",\"hostKey\":\"MD5:k\"}")]
    [InlineData("{\"host\":\"\",\"port\":22,\"user\":\"u\",\"hostKey\":\"SHA256:k\"}")]
    public void AnEditedEntryIsRefusedNotHalfUsed(string json) =>
        Assert.Equal("NodeAccessRecordInvalid", Assert.Throws<ClusterException>(() => NodeAccessRecord.Parse("n1", json)).ErrorId);

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

/// <summary>The bootstrap token reaches kubeadm in a file and dies with the join (issue 13, point 4).</summary>
public sealed class JoinTokenTests
{
    [Theory]
    [InlineData("1.31.4-1.1", "kubeadm.k8s.io/v1beta4")]
    [InlineData("1.32.0-1.1", "kubeadm.k8s.io/v1beta4")]
    [InlineData("1.30.9-1.1", "kubeadm.k8s.io/v1beta3")]
    [InlineData("1.22.0-00", "kubeadm.k8s.io/v1beta3")]
    public void ConfigurationApiFollowsTheKubeadmVersion(string version, string expected) =>
        Assert.Equal(expected, KubeadmJoinConfiguration.ApiVersionFor(version, "n1"));

    [Fact]
    public void AKubeadmTooOldForAConfigurationFileIsRefused() =>
        Assert.Equal("KubeadmTooOld", Assert.Throws<ClusterException>(() => KubeadmJoinConfiguration.ApiVersionFor("1.21.3-00", "n1")).ErrorId);

    [Fact]
    public void TheTokenIsInTheConfigurationAndNeverInTheScript()
    {
        var json = JsonNode.Parse(KubeadmJoinConfiguration.Render("kubeadm.k8s.io/v1beta4", "127.0.0.1:6443", "abcdef.0123456789abcdef", "sha256:00", "worker-9", "unix:///var/run/containerd/containerd.sock"))!;

        Assert.Equal("JoinConfiguration", (string?)json["kind"]);
        Assert.Equal("abcdef.0123456789abcdef", (string?)json["discovery"]!["bootstrapToken"]!["token"]);
        Assert.Equal("127.0.0.1:6443", (string?)json["discovery"]!["bootstrapToken"]!["apiServerEndpoint"]);
        Assert.Equal("sha256:00", (string?)json["discovery"]!["bootstrapToken"]!["caCertHashes"]![0]);
        Assert.Equal("worker-9", (string?)json["nodeRegistration"]!["name"]);
        Assert.StartsWith("umask 077; config=$(mktemp)", KubeadmJoinConfiguration.JoinScript);
        Assert.Contains("trap 'rm -f \"$config\"' EXIT", KubeadmJoinConfiguration.JoinScript);
        Assert.EndsWith("kubeadm join --config \"$config\"", KubeadmJoinConfiguration.JoinScript);
        Assert.DoesNotContain("--token", KubeadmJoinConfiguration.JoinScript);
    }

    [Fact]
    public async Task DeletingTheTokenRemovesItsSecretAndTheClustersSignerDropsItsSignature()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        var token = await BootstrapTokens.CreateAsync(connection, "test", TimeSpan.FromHours(1), CancellationToken.None);
        var id = token.Split('.')[0];
        JsonNode? Signature() => emulator.Store.Get(CoreKinds.ConfigMaps, "kube-public", "cluster-info")!["data"]![$"jws-kubeconfig-{id}"];
        // The module signs nothing itself: the token carries usage-bootstrap-signing, so the cluster's bootstrap signer does.
        for (var attempt = 0; attempt < 100 && Signature() is null; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(Signature());

        await BootstrapTokens.DeleteAsync(connection, token, NullOperationLog.Instance);

        Assert.Null(emulator.Store.Get(CoreKinds.Secrets, "kube-system", $"bootstrap-token-{id}"));
        for (var attempt = 0; attempt < 100 && Signature() is not null; attempt++)
        {
            await Task.Delay(50);
        }

        Assert.Null(Signature());
    }

    [Fact]
    public async Task ATokenThatCannotBeDeletedIsReportedNotThrown()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0 });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        var token = await BootstrapTokens.CreateAsync(connection, "test", TimeSpan.FromHours(1), CancellationToken.None);
        var id = token.Split('.')[0];
        emulator.Faults.Add(new FaultRule { Method = "DELETE", Path = $"/api/v1/namespaces/kube-system/secrets/bootstrap-token-{id}", StatusCode = 403, Message = "denied by test" });
        var log = new WarningLog();

        await BootstrapTokens.DeleteAsync(connection, token, log);

        Assert.Contains(emulator.Requests.All, r => r.Method == "DELETE" && r.Status == 403);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains($"kube-system/bootstrap-token-{id} could not be deleted", warning);
        Assert.Contains($"kubectl -n kube-system delete secret bootstrap-token-{id}", warning);
        Assert.NotNull(emulator.Store.Get(CoreKinds.Secrets, "kube-system", $"bootstrap-token-{id}"));
    }

    private sealed class WarningLog : IOperationLog
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public void Verbose(string message)
        {
        }

        public void Warning(string message) => Warnings.Enqueue(message);

        public void Progress(OperationProgress progress)
        {
        }

        public void Secret(string value)
        {
        }
    }
}
