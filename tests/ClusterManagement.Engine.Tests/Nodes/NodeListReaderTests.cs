using System.Text;
using System.Text.Json;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Nodes;

/// <summary>
/// The node list read from the API's JSON directly gives the objects the SDK model and <see cref="NodeMapper"/> give,
/// and keeps the typed client's errors, retries and paging.
/// </summary>
public sealed class NodeListReaderTests
{
    private static ClusterConnection Connect(KubeEmulator emulator, string context = "sandbox") =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = context });

    /// <summary>Every property, nested ones too; ages pinned, so only the reading can make a difference.</summary>
    private static string[] Shown(IEnumerable<ClusterNode> nodes) =>
        nodes.Select(n => JsonSerializer.Serialize(n, new JsonSerializerOptions { WriteIndented = true })).ToArray();

    private static (string[] Direct, string[] Mapped) BothWays(string json)
    {
        using var pinned = Clock.Pin(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc));
        var direct = new NodeListReader().Parse(Encoding.UTF8.GetBytes(json));
        var mapped = KubernetesJson.Deserialize<V1NodeList>(json).Items.Select(NodeMapper.ToClusterNode);
        return (Shown(direct.Items), Shown(mapped));
    }

    [Fact]
    public async Task TheEmulatorsNodesReadAsTheSdkModelAndMapperReadThem()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3, ControlPlanes = 1 });
        var connection = Connect(emulator);
        // A cordoned, tainted node too, so Status, Taints and Unschedulable differ from the defaults.
        await connection.Client.CoreV1.PatchNodeAsync(
            new V1Patch("""{"spec":{"unschedulable":true,"taints":[{"key":"maintenance","effect":"NoSchedule"},{"key":"zone","value":"a","effect":"NoExecute"}]}}""", V1Patch.PatchType.MergePatch),
            "worker-2");
        using var response = await RawApi.SendRequestAsync(connection, HttpMethod.Get, "/api/v1/nodes", null, null, CancellationToken.None);
        var json = await response.Content.ReadAsStringAsync();

        var (direct, mapped) = BothWays(json);

        Assert.Equal(4, direct.Length);
        Assert.Equal(mapped, direct);
        Assert.Contains(direct, n => n.Contains("\"Ready,SchedulingDisabled\"", StringComparison.Ordinal) && n.Contains("\"zone\"", StringComparison.Ordinal));
    }

    [Fact]
    public void OddAndHostileNodesReadAsTheSdkModelAndMapperReadThem()
    {
        const string json = """
            {"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"9","continue":"next-page","remainingItemCount":4500,"unknownCount":99999999999999999999},
             "items":[
              {"metadata":{"name":"bare"}},
              {"metadata":{"name":"nulls","labels":null,"annotations":null,"creationTimestamp":null},"spec":null,"status":null},
              {"metadata":{"name":"empty","labels":{},"creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{},"status":{"conditions":[],"addresses":[],"capacity":{},"nodeInfo":{}}},
              {"metadata":{"name":"unknown-fields","uid":"u","generation":7,"futureField":{"deep":[1,2,{"x":1e300}]},"huge":123456789012345678901234567890,
                 "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/":"x","kubernetes.io/role":"legacy","b":"2","a":"1"},
                 "annotations":{"note":"line\nbreak \u00e9 \ud83d\ude00"},
                 "creationTimestamp":"2025-12-31T23:59:59Z","resourceVersion":"42"},
               "spec":{"podCIDR":"10.244.9.0/24","podCIDRs":["10.244.9.0/24","fd00::/64"],"providerID":"x://y","unschedulable":false,"newSpec":[{}]},
               "status":{"phase":"Running","newStatus":{"a":[]},
                 "capacity":{"cpu":"99999999999999999999999","memory":"16384Mi","ephemeral-storage":"1500m","pods":"110","example.com/gpu":"1e3","tiny":"0.000000001"},
                 "allocatable":{"cpu":"3500m","memory":"1Gi","hugepages-2Mi":"0"},
                 "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2026-02-28T11:59:30Z","lastTransitionTime":"2026-01-01T00:00:05Z","reason":"KubeletReady","message":"ok","extra":1},
                               {"type":"Ready","status":"False"},
                               {"type":"MemoryPressure","status":"Unknown","lastHeartbeatTime":"2026-02-28T11:59:30.123456Z","lastTransitionTime":"2026-02-28T11:59:30.123456789Z"}],
                 "addresses":[{"type":"Hostname","address":"h"},{"type":"InternalIP","address":"fd00::1"},{"type":"InternalIP","address":"10.0.0.1"},{"type":"","address":"nowhere"},{"type":"ExternalIP","address":""}],
                 "nodeInfo":{"kubeletVersion":"","osImage":"Debian \"12\"","kernelVersion":"6.1","containerRuntimeVersion":"","architecture":"arm64","operatingSystem":"linux","bootID":"b"},
                 "images":[{"names":["a"],"sizeBytes":99999999999999}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}}}},
              {"metadata":{"name":"cordoned","labels":{"kubernetes.io/role":""},"creationTimestamp":"2026-02-01T00:00:00.5Z"},
               "spec":{"unschedulable":true,"taints":[{"key":"k","effect":"NoSchedule"},{"key":"k2","value":"v","effect":"NoExecute","timeAdded":"2026-02-01T00:00:00Z"}]},
               "status":{"conditions":[{"type":"Ready","status":"Unknown"}],"addresses":[{"type":"ExternalIP","address":"203.0.113.9"}]}}
             ]}
            """;

        var (direct, mapped) = BothWays(json);

        Assert.Equal(5, direct.Length);
        Assert.Equal(mapped, direct);
        Assert.Equal("next-page", new NodeListReader().Parse(Encoding.UTF8.GetBytes(json)).Continue);
    }

    [Fact]
    public void AValueTheSdkModelRefusesIsRefusedToo()
    {
        const string json = """{"items":[{"metadata":{"name":"n","creationTimestamp":"yesterday"}}]}""";

        Assert.ThrowsAny<Exception>(() => KubernetesJson.Deserialize<V1NodeList>(json));
        Assert.ThrowsAny<Exception>(() => new NodeListReader().Parse(Encoding.UTF8.GetBytes(json)).Items.ToList());
    }

    [Fact]
    public async Task AListThatOutlivesACompactionContinuesFromTheServersFreshToken()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = Paging.PageSize + 100, SeedPods = false });
        var connection = Connect(emulator);
        var names = new List<string>();

        await foreach (var node in new NodeService(connection).ListAsync(null, CancellationToken.None))
        {
            if (names.Count == 0)
            {
                emulator.Store.Delete(CoreKinds.Nodes, null, "worker-99");
                emulator.Store.Compact();
            }
            names.Add(node.Name);
        }

        Assert.Contains(emulator.Requests.Since(0), r => r.Status == 410 && r.Path.Contains("continue=", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(Paging.PageSize + 100, names.Count);
        Assert.DoesNotContain("worker-99", names);
    }

    [Fact]
    public async Task AServerErrorIsRetriedAndARefusalNamesTheNodes()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, SeedPods = false });
        var fault = emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/nodes", StatusCode = 503, Times = 1 });

        var nodes = await ToListAsync(new NodeService(Connect(emulator)).ListAsync("!node-role.kubernetes.io/control-plane", CancellationToken.None));

        Assert.Equal(1, emulator.Faults.Find(fault)?.Hits);
        Assert.Equal(["worker-1", "worker-2"], nodes.Select(n => n.Name).Order(StringComparer.Ordinal));
        var error = await Assert.ThrowsAsync<ClusterException>(() => ToListAsync(new NodeService(Connect(emulator, "sandbox-badtoken")).ListAsync(null, CancellationToken.None)));
        Assert.Equal(ClusterErrorKind.Unauthorized, error.Kind);
    }

    private static async Task<List<ClusterNode>> ToListAsync(IAsyncEnumerable<ClusterNode> nodes)
    {
        var list = new List<ClusterNode>();
        await foreach (var node in nodes)
        {
            list.Add(node);
        }
        return list;
    }
}
