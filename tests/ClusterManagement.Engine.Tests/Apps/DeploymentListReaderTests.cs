using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Apps;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Apps;

/// <summary>
/// Deployments read from the API's JSON by hand give the apps the SDK model gives through the same
/// <see cref="AppMapper"/>, and the listing keeps the typed client's errors, retries and paging.
/// </summary>
public sealed class DeploymentListReaderTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ClusterConnection Connect(KubeEmulator emulator, string context = "sandbox") =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = context });

    /// <summary>Every property, nested ones too; ages pinned, so only the reading can make a difference.</summary>
    private static string[] Shown(IEnumerable<ClusterApp> apps) =>
        apps.Select(a => JsonSerializer.Serialize(a, new JsonSerializerOptions { WriteIndented = true })).ToArray();

    private static IEnumerable<V1Deployment> Direct(string json) => DeploymentListReader.Parse(Encoding.UTF8.GetBytes(json)).Items;

    private static IEnumerable<V1Deployment> Typed(string json) => KubernetesJson.Deserialize<V1DeploymentList>(json).Items;

    private static (string[] Direct, string[] Typed) BothWays(string json)
    {
        using var pinned = Clock.Pin(Now);
        return (Shown(Direct(json).Select(d => AppMapper.ToClusterApp(d))), Shown(Typed(json).Select(d => AppMapper.ToClusterApp(d))));
    }

    private static JsonObject Deployment(string name, int replicas, Action<JsonObject>? edit = null, string image = "nginx:1.27")
    {
        var d = AppsSeeder.Deployment(name, "default", image, replicas, DateTimeOffset.UtcNow.AddHours(-5));
        edit?.Invoke(d);
        return d;
    }

    [Fact]
    public async Task TheEmulatorsDeploymentsReadAsTheSdkModelAndMapperReadThem()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, SampleApp = true, PodReadySeconds = 0.1 });
        var store = emulator.Store;
        store.Create(AppsKinds.Deployments, Deployment("idle", 0));
        store.Create(AppsKinds.Deployments, Deployment("held", 2, d => d["spec"]!["paused"] = true));
        store.Create(AppsKinds.Deployments, Deployment("caused", 1, d =>
        {
            d["metadata"]!["annotations"] = new JsonObject { [DeploymentHistory.ChangeCauseAnnotation] = "kubectl set image deployment/caused caused=nginx:1.27 \u00e9" };
            d["spec"]!["strategy"] = new JsonObject { ["type"] = "Recreate" };
        }));
        store.Create(AppsKinds.Deployments, Deployment("picky", 1, d =>
        {
            d["spec"]!["selector"]!["matchExpressions"] = new JsonArray(
                new JsonObject { ["key"] = "tier", ["operator"] = "In", ["values"] = new JsonArray("web", "front") },
                new JsonObject { ["key"] = "legacy", ["operator"] = "DoesNotExist" });
            d["spec"]!["template"]!["metadata"]!["labels"]!["tier"] = "web";
        }));
        store.Create(AppsKinds.Deployments, Deployment("stuck", 2, d => d["spec"]!["progressDeadlineSeconds"] = 1, image: "nginx:broken"));
        await Eventually.IsTrueAsync(
            () => store.Get(AppsKinds.Deployments, "default", "stuck")?.Condition("Progressing")?.StringAt("reason") == "ProgressDeadlineExceeded"
                && store.Get(AppsKinds.Deployments, "default", "web")?.LongAt("status", "availableReplicas") == 2,
            "web to roll out and stuck to exceed its progress deadline",
            60);
        var connection = Connect(emulator);
        using var response = await RawApi.SendRequestAsync(connection, HttpMethod.Get, "/apis/apps/v1/deployments", null, null, CancellationToken.None);
        var json = await response.Content.ReadAsStringAsync();

        var (direct, typed) = BothWays(json);

        // The sample app, kubeadm's coredns in kube-system and the five made here.
        Assert.Equal(7, direct.Length);
        Assert.Equal(typed, direct);
        Assert.Contains(direct, a => a.Contains("exceeded its progress deadline", StringComparison.Ordinal) || a.Contains("ProgressDeadlineExceeded", StringComparison.Ordinal));
        Assert.Contains(direct, a => a.Contains("\"Paused\": true", StringComparison.Ordinal));
        Assert.Contains(direct, a => a.Contains("\"app=picky,!legacy,tier in (front,web)\"", StringComparison.Ordinal));
        Assert.Contains(direct, a => a.Contains("\"Recreate\"", StringComparison.Ordinal) && a.Contains("kubectl set image", StringComparison.Ordinal));

        // -Detailed joins each app to its pods by the Deployment's namespace and uid.
        var pods = new NamespacePods(connection);
        async Task<string[]> Detailed(IEnumerable<V1Deployment> deployments)
        {
            var apps = new List<ClusterApp>();
            foreach (var d in deployments)
            {
                apps.Add(AppMapper.ToClusterApp(d, await pods.OfAsync(d, CancellationToken.None)));
            }
            using var pinned = Clock.Pin(Now);
            return Shown(apps);
        }
        var detailed = await Detailed(Direct(json));
        Assert.Equal(await Detailed(Typed(json)), detailed);
        Assert.Contains(detailed, a => a.Contains("ImagePullBackOff", StringComparison.Ordinal) || a.Contains("ErrImagePull", StringComparison.Ordinal));
    }

    [Fact]
    public void OddAndHostileDeploymentsReadAsTheSdkModelAndMapperReadThem()
    {
        const string json = """
            {"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"9","continue":"next-page","remainingItemCount":4500,"unknownCount":99999999999999999999},
             "items":[
              {"metadata":{"name":"bare"},"spec":{}},
              {"metadata":{"name":"nulls","namespace":null,"uid":null,"resourceVersion":null,"generation":null,"labels":null,"annotations":null,"creationTimestamp":null},
               "spec":{"replicas":null,"paused":null,"selector":null,"strategy":null,"template":null},"status":null},
              {"metadata":{"name":"nested-nulls"},
               "spec":{"selector":{"matchLabels":null,"matchExpressions":null},"strategy":{"type":null},"template":{"metadata":null,"spec":null}},
               "status":{"replicas":null,"updatedReplicas":null,"readyReplicas":null,"availableReplicas":null,"observedGeneration":null,"conditions":null}},
              {"metadata":{"name":"empty","namespace":"","labels":{},"annotations":{}},
               "spec":{"replicas":0,"selector":{},"strategy":{},"template":{"spec":{"containers":[]}}},"status":{"conditions":[]}},
              {"metadata":{"name":"no-containers"},"spec":{"template":{"spec":{"containers":null}}},"status":{}},
              {"metadata":{"name":"unknown-fields","namespace":"t\u00e9st","uid":"u-1","generation":9223372036854775807,"futureField":{"deep":[1,2,{"x":1e300}]},
                 "huge":123456789012345678901234567890,
                 "labels":{"b":"2","a":"1","\u00fcnicode":"\ud83d\ude00"},
                 "annotations":{"deployment.kubernetes.io/revision":"007","kubernetes.io/change-cause":"line\nbreak \u00e9","note":"x"},
                 "creationTimestamp":"2025-12-31T23:59:59Z","resourceVersion":"42"},
               "spec":{"replicas":3,"replicas":5,"paused":true,"progressDeadlineSeconds":600,"minReadySeconds":0,"newSpec":[{}],
                 "selector":{"matchLabels":{"app":"u","zone":"a"},
                   "matchExpressions":[{"key":"tier","operator":"In","values":["web","api","api"]},{"key":"env","operator":"NotIn","values":["prod"]},
                                       {"key":"gpu","operator":"Exists"},{"key":"legacy","operator":"DoesNotExist","values":null},{"key":"odd","operator":"Gt","values":["1"]},
                                       {"key":"none","operator":"In","values":[]}]},
                 "strategy":{"type":"Recreate","rollingUpdate":null},
                 "template":{"metadata":{"labels":{"app":"u"}},"spec":{"containers":[{"name":"main","image":"registry.example:5000/a/b@sha256:0123456789abcdef0123456789abcdef","ports":[{"containerPort":80}]},
                   {"name":"sidecar"},{"name":"","image":""}],"initContainers":[{"name":"init","image":"busybox"}]}}},
               "status":{"replicas":7,"updatedReplicas":2,"readyReplicas":1,"availableReplicas":1,"unavailableReplicas":6,"observedGeneration":3,"collisionCount":1,"newStatus":{"a":[]},
                 "conditions":[{"type":"Available","status":"False","lastUpdateTime":"2026-02-28T11:59:30.123456Z","lastTransitionTime":"2026-02-28T11:59:30.123456789Z","reason":"MinimumReplicasUnavailable","message":"m","extra":1},
                               {"type":"Progressing","status":"True","lastUpdateTime":"2026-02-28T12:59:30+01:00","lastTransitionTime":"2026-01-01T00:00:05Z"},
                               {"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}},
              {"metadata":{"name":"refused","creationTimestamp":"2026-02-01T00:00:00.5Z","generation":2},
               "spec":{"replicas":2},
               "status":{"replicas":2,"updatedReplicas":2,"availableReplicas":2,"observedGeneration":2,
                 "conditions":[{"type":"ReplicaFailure","status":"True","reason":"FailedCreate","message":"pods \"refused-1\" is forbidden: exceeded quota"}]}},
              {"metadata":{"name":"gave-up","generation":1},"spec":{"replicas":1},
               "status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":1,"conditions":[{"type":"Progressing","status":"False","message":""}]}},
              {"metadata":{"name":"unobserved","generation":3},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"readyReplicas":0,"availableReplicas":0}},
              {"metadata":{"name":"old-pending","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"replicas":4,"updatedReplicas":2,"availableReplicas":1}},
              {"metadata":{"name":"unavailable","generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"availableReplicas":1}},
              {"metadata":{"name":"done","generation":4,"creationTimestamp":"2099-01-01T00:00:00Z"},"spec":{"replicas":2},
               "status":{"observedGeneration":4,"replicas":2,"updatedReplicas":2,"readyReplicas":2,"availableReplicas":2}}
             ]}
            """;

        var (direct, typed) = BothWays(json);

        Assert.Equal(12, direct.Length);
        Assert.Equal(typed, direct);
        Assert.Equal("next-page", DeploymentListReader.Parse(Encoding.UTF8.GetBytes(json)).Continue);
    }

    [Fact]
    public void AnEmptyListReadsAsEmpty()
    {
        var (direct, typed) = BothWays("""{"items":[],"metadata":{"continue":null}}""");

        Assert.Empty(direct);
        Assert.Empty(typed);
        Assert.Null(DeploymentListReader.Parse(Encoding.UTF8.GetBytes("""{"items":[],"metadata":{}}""")).Continue);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"d","creationTimestamp":"yesterday"},"spec":{}}""")]
    [InlineData("""{"metadata":{"name":5},"spec":{}}""")]
    [InlineData("""{"metadata":{"name":"d","labels":{"a":1}},"spec":{}}""")]
    [InlineData("""{"metadata":{"name":"d","generation":1.5},"spec":{}}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":{"replicas":"3"}}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":{"replicas":99999999999}}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":{"paused":"yes"}}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":{"selector":{"matchExpressions":{}}}}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[null]}}}}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":[]}""")]
    [InlineData("""{"metadata":{"name":"d"},"spec":{},"status":{"conditions":[{"type":"Available","lastUpdateTime":1}]}}""")]
    [InlineData("""{"metadata":{"name":"d"}}""")]
    [InlineData("""{"spec":{}}""")]
    public void AValueTheSdkModelRefusesIsRefusedToo(string deployment)
    {
        var json = $$"""{"items":[{{deployment}}]}""";

        Assert.ThrowsAny<Exception>(() => Typed(json).Select(d => AppMapper.ToClusterApp(d)).ToList());
        Assert.ThrowsAny<Exception>(() => Direct(json).Select(d => AppMapper.ToClusterApp(d)).ToList());
    }

    [Fact]
    public async Task AListThatOutlivesACompactionContinuesFromTheServersFreshToken()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false, SampleApps = Paging.FirstPageAmongSeveral + 10 });
        var connection = Connect(emulator);
        var names = new List<string>();
        using var smallFirstPage = Paging.SmallFirstPages();

        await foreach (var app in new AppService(connection).ListAsync("bench-01", null, false, CancellationToken.None))
        {
            if (names.Count == 0)
            {
                emulator.Store.Delete(AppsKinds.Deployments, "bench-01", "app-0060");
                emulator.Store.Compact();
            }
            names.Add(app.Name);
        }

        Assert.Contains(emulator.Requests.Since(0), r => r.Status == 410 && r.Path.Contains("/apis/apps/v1/namespaces/bench-01/deployments", StringComparison.Ordinal) && r.Path.Contains("continue=", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(Paging.FirstPageAmongSeveral + 9, names.Count);
        Assert.DoesNotContain("app-0060", names);
    }

    [Fact]
    public async Task AServerErrorIsRetriedAndARefusalNamesTheApps()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false, SampleApp = true, SampleApps = 2 });
        var fault = emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/apis/apps/v1/deployments", StatusCode = 503, Times = 1 });

        var all = await ToListAsync(new AppService(Connect(emulator)).ListAsync(null, "app!=app-0002", false, CancellationToken.None));
        var inDefault = await ToListAsync(new AppService(Connect(emulator)).ListAsync("default", null, false, CancellationToken.None));

        Assert.Equal(1, emulator.Faults.Find(fault)?.Hits);
        Assert.Equal(["bench-01/app-0001", "default/web"], all.Select(a => $"{a.Namespace}/{a.Name}").Order(StringComparer.Ordinal));
        Assert.Equal("web", Assert.Single(inDefault).Name);
        var error = await Assert.ThrowsAsync<ClusterException>(() => ToListAsync(new AppService(Connect(emulator, "sandbox-badtoken")).ListAsync("default", null, false, CancellationToken.None)));
        Assert.Equal(ClusterErrorKind.Unauthorized, error.Kind);
    }

    private static async Task<List<ClusterApp>> ToListAsync(IAsyncEnumerable<ClusterApp> apps)
    {
        var list = new List<ClusterApp>();
        await foreach (var app in apps)
        {
            list.Add(app);
        }
        return list;
    }
}
