using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;
using ClusterManagement.Emulator.Workloads;

namespace ClusterManagement.Emulator.Tests.Workloads;

/// <summary>The emulated daemonset and statefulset controllers against the real ones' rules (pkg/controller/daemon, pkg/controller/statefulset).</summary>
public sealed class WorkloadControllerTests
{
    private static async Task<KubeEmulator> StartAsync(int workers = 3) =>
        await KubeEmulator.StartAsync(new EmulatorOptions { Workers = workers, PodReadySeconds = 0.2 });

    private static ResourceKind DaemonSets(KubeEmulator emulator) => emulator.Registry.Find("apps", "v1", "daemonsets")!;

    private static JsonObject Workload(string name, string image, Action<JsonObject>? spec = null)
    {
        var podSpec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) };
        var obj = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = podSpec,
                },
            },
        };
        spec?.Invoke((JsonObject)obj["spec"]!);
        return obj;
    }

    private static List<JsonObject> PodsOf(KubeEmulator emulator, string name) =>
        [.. emulator.Store.List(CoreKinds.Pods, "default").Items.Select(p => p.ToJson()).Where(p => p.StringAt("metadata", "labels", "app") == name)];

    private static string? Image(JsonObject pod) => pod.ObjectsAt("spec", "containers").First().StringAt("image");

    private static void SetImage(KubeEmulator emulator, ResourceKind kind, string name, string image) =>
        emulator.Store.Mutate(kind, "default", name, o =>
        {
            o["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
            return true;
        });

    [Fact]
    public async Task DaemonSetRunsOnePodPerEligibleNodeAndCountsStatusFromThem()
    {
        await using var emulator = await StartAsync();
        var kind = DaemonSets(emulator);
        emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-2", n =>
        {
            n["spec"]!["unschedulable"] = true;
            n["spec"]!["taints"] = new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/unschedulable", ["effect"] = "NoSchedule" });
            return true;
        });
        emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-3", n =>
        {
            n.Metadata().ObjectAt("labels")["disk"] = "ssd";
            return true;
        });
        emulator.Store.Create(kind, Workload("agent", "agent:1"));
        emulator.Store.Create(kind, Workload("ssd-agent", "agent:1", s => s["template"]!["spec"]!["nodeSelector"] = new JsonObject { ["disk"] = "ssd" }));

        // cp-1's control-plane NoSchedule taint is not tolerated; the cordoned worker-2 still gets its pod.
        var status = await Eventually.ReturnsAsync(() =>
            emulator.Store.Get(kind, "default", "agent") is { } ds && ds.LongAt("status", "numberAvailable") == 3 ? ds["status"] : null, "agent available");
        Assert.Equal(3, status["desiredNumberScheduled"]!.GetValue<long>());
        Assert.Equal(3, status["currentNumberScheduled"]!.GetValue<long>());
        Assert.Equal(3, status["numberReady"]!.GetValue<long>());
        Assert.Equal(3, status["updatedNumberScheduled"]!.GetValue<long>());
        Assert.Equal(0, status["numberMisscheduled"]!.GetValue<long>());
        Assert.Equal(1, status["observedGeneration"]!.GetValue<long>());
        var pods = PodsOf(emulator, "agent");
        Assert.Equal(["worker-1", "worker-2", "worker-3"], pods.Select(p => p.StringAt("spec", "nodeName")).Order());
        var pod = pods[0];
        Assert.Contains(pod.ObjectsAt("spec", "tolerations"), t => t.StringAt("key") == "node.kubernetes.io/unschedulable" && t.StringAt("operator") == "Exists");
        Assert.Equal(pod.StringAt("spec", "nodeName"), pod.ObjectsAt("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms").Single().ObjectsAt("matchFields").Single()["values"]![0]!.GetValue<string>());
        Assert.Equal("1", pod.StringAt("metadata", "labels", "pod-template-generation"));
        Assert.Equal("DaemonSet", pod.ObjectsAt("metadata", "ownerReferences").Single().StringAt("kind"));
        await Eventually.IsTrueAsync(() => emulator.Store.Get(kind, "default", "ssd-agent")?.LongAt("status", "numberReady") == 1, "ssd-agent ready");
        Assert.Equal("worker-3", Assert.Single(PodsOf(emulator, "ssd-agent")).StringAt("spec", "nodeName"));
        Assert.Equal(1, emulator.Store.Get(kind, "default", "ssd-agent")!.LongAt("status", "desiredNumberScheduled"));

        // A node that stops matching the selector: its pod is misscheduled, then gone (NoSchedule only: it may keep running).
        emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-3", n =>
        {
            n.Metadata().ObjectAt("labels").Remove("disk");
            return true;
        });
        await Eventually.IsTrueAsync(() => PodsOf(emulator, "ssd-agent").Count == 0 && emulator.Store.Get(kind, "default", "ssd-agent")?.LongAt("status", "desiredNumberScheduled") == 0, "ssd-agent pod removed");
    }

    [Fact]
    public async Task DaemonSetRollsNodeByNodeWithinMaxUnavailable()
    {
        await using var emulator = await StartAsync(workers: 4);
        var kind = DaemonSets(emulator);
        emulator.Store.Create(kind, Workload("roll", "agent:1"));
        await Eventually.IsTrueAsync(() => emulator.Store.Get(kind, "default", "roll")?.LongAt("status", "numberAvailable") == 4, "roll available");

        SetImage(emulator, kind, "roll", "agent:2");
        var maxDown = 0;
        var observedOld = false;
        await Eventually.IsTrueAsync(() =>
        {
            var pods = PodsOf(emulator, "roll");
            var ready = pods.Count(p => p.Condition("Ready")?.StringAt("status") == "True");
            maxDown = Math.Max(maxDown, 4 - ready);
            observedOld |= pods.Any(p => Image(p) == "agent:1") && pods.Any(p => Image(p) == "agent:2");
            var ds = emulator.Store.Get(kind, "default", "roll")!;
            return ds.LongAt("status", "observedGeneration") == 2 && ds.LongAt("status", "updatedNumberScheduled") == 4 && ds.LongAt("status", "numberAvailable") == 4;
        }, "roll updated", 20);

        Assert.True(observedOld, "old and new pods side by side: the update went node by node");
        Assert.True(maxDown <= 1, $"at most maxUnavailable=1 node without a ready pod, saw {maxDown}");
        Assert.All(PodsOf(emulator, "roll"), p => Assert.Equal("agent:2", Image(p)));
    }

    [Fact]
    public async Task DaemonSetWithAnUnpullableImageNeverBecomesAvailable()
    {
        await using var emulator = await StartAsync();
        var kind = DaemonSets(emulator);
        emulator.Store.Create(kind, Workload("stuck", "agent:broken"));
        await Eventually.IsTrueAsync(() => emulator.Store.Get(kind, "default", "stuck")?.LongAt("status", "currentNumberScheduled") == 3
            && PodsOf(emulator, "stuck").All(p => p.At("status", "containerStatuses") is not null), "stuck pods scheduled and pulled");

        var status = emulator.Store.Get(kind, "default", "stuck")!["status"]!;
        Assert.Equal(0, status["numberReady"]!.GetValue<long>());
        Assert.Equal(0, status["numberAvailable"]!.GetValue<long>());
        Assert.Equal(3, status["numberUnavailable"]!.GetValue<long>());
    }

    [Fact]
    public async Task StatefulSetCreatesOrderedPodsAndUpdatesFromTheHighestOrdinal()
    {
        await using var emulator = await StartAsync();
        emulator.Store.Create(WorkloadKinds.StatefulSets, Workload("db", "db:1", s =>
        {
            s["replicas"] = 3;
            s["serviceName"] = "db";
        }));
        var creations = new List<string>();
        await Eventually.IsTrueAsync(() =>
        {
            foreach (var pod in PodsOf(emulator, "db").OrderBy(p => p.StringAt("metadata", "creationTimestamp")))
            {
                if (!creations.Contains(pod.Name()))
                {
                    // OrderedReady: a pod is only made once every lower ordinal is Running and Ready.
                    var lower = PodsOf(emulator, "db").Where(p => string.CompareOrdinal(p.Name(), pod.Name()) < 0).ToList();
                    Assert.All(lower, p => Assert.Equal("True", p.Condition("Ready")?.StringAt("status")));
                    creations.Add(pod.Name());
                }
            }
            return emulator.Store.Get(WorkloadKinds.StatefulSets, "default", "db")?.LongAt("status", "readyReplicas") == 3;
        }, "db ready", 20);
        Assert.Equal(["db-0", "db-1", "db-2"], creations);
        var set = emulator.Store.Get(WorkloadKinds.StatefulSets, "default", "db")!;
        var revision = set.StringAt("status", "updateRevision")!;
        Assert.Matches("^db-[bcdfghjklmnpqrstvwxz2456789]+$", revision);
        Assert.Equal(revision, set.StringAt("status", "currentRevision"));
        var db1 = PodsOf(emulator, "db").Single(p => p.Name() == "db-1");
        Assert.Equal(revision, db1.StringAt("metadata", "labels", "controller-revision-hash"));
        Assert.Equal("db-1", db1.StringAt("metadata", "labels", "statefulset.kubernetes.io/pod-name"));
        Assert.Equal("1", db1.StringAt("metadata", "labels", "apps.kubernetes.io/pod-index"));
        Assert.Equal("db", db1.StringAt("spec", "subdomain"));

        // A partition of 1 keeps db-0 at the old revision; the others are replaced from db-2 down.
        emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", "db", s =>
        {
            s["spec"]!["updateStrategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 1 } };
            s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "db:2";
            return true;
        });
        var order = new List<string>();
        await Eventually.IsTrueAsync(() =>
        {
            foreach (var pod in PodsOf(emulator, "db").Where(p => Image(p) == "db:2" && !order.Contains(p.Name())))
            {
                order.Add(pod.Name());
            }
            var s = emulator.Store.Get(WorkloadKinds.StatefulSets, "default", "db")!;
            return s.LongAt("status", "updatedReplicas") == 2 && s.LongAt("status", "readyReplicas") == 3;
        }, "db partitioned update", 20);
        Assert.Equal(["db-2", "db-1"], order);
        var updated = emulator.Store.Get(WorkloadKinds.StatefulSets, "default", "db")!;
        Assert.Equal(revision, updated.StringAt("status", "currentRevision"));
        Assert.NotEqual(revision, updated.StringAt("status", "updateRevision"));
        Assert.Equal(1, updated.LongAt("status", "currentReplicas"));
        Assert.Equal("db:1", Image(PodsOf(emulator, "db").Single(p => p.Name() == "db-0")));
    }

    [Fact]
    public async Task StatefulSetScalesDownFromTheHighestOrdinalAndParallelCreatesAtOnce()
    {
        await using var emulator = await StartAsync();
        emulator.Settings.PodReadyDelay = TimeSpan.FromSeconds(3);
        emulator.Store.Create(WorkloadKinds.StatefulSets, Workload("par", "db:1", s =>
        {
            s["replicas"] = 3;
            s["podManagementPolicy"] = "Parallel";
        }));
        // Parallel: all three exist long before the first is ready (OrderedReady would wait 3 s per pod).
        await Eventually.IsTrueAsync(() => PodsOf(emulator, "par").Count == 3, "par pods", 2);
        Assert.All(PodsOf(emulator, "par"), p => Assert.Null(p.Condition("Ready")));
        emulator.Settings.PodReadyDelay = TimeSpan.FromSeconds(0.2);
        await Eventually.IsTrueAsync(() => emulator.Store.Get(WorkloadKinds.StatefulSets, "default", "par")?.LongAt("status", "readyReplicas") == 3, "par ready");

        emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", "par", s =>
        {
            s["spec"]!["replicas"] = 1;
            return true;
        });
        await Eventually.IsTrueAsync(() => emulator.Store.Get(WorkloadKinds.StatefulSets, "default", "par")?.LongAt("status", "replicas") == 1, "par scaled down");
        Assert.Equal("par-0", Assert.Single(PodsOf(emulator, "par")).Name());
    }

    [Fact]
    public async Task WritesAreDefaultedAndValidatedAsByTheAppsRegistry()
    {
        await using var emulator = await StartAsync();
        using var api = new ApiClient(emulator.CreateClient());
        var (_, ds) = await api.PostAsync("/apis/apps/v1/namespaces/default/daemonsets", Workload("defaulted", "agent:1"));
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}""", ds!["spec"]!["updateStrategy"]!.ToJsonString());
        Assert.Equal(10, ds["spec"]!["revisionHistoryLimit"]!.GetValue<int>());

        var (_, sts) = await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Workload("web", "web:1", s => s["serviceName"] = "web"));
        Assert.Equal("OrderedReady", sts!["spec"]!["podManagementPolicy"]!.GetValue<string>());
        Assert.Equal(0, sts["spec"]!["updateStrategy"]!["rollingUpdate"]!["partition"]!.GetValue<int>());
        Assert.Equal(1, sts["spec"]!["replicas"]!.GetValue<int>());

        sts["spec"]!["serviceName"] = "other";
        var (code, invalid) = await api.PutAsync("/apis/apps/v1/namespaces/default/statefulsets/web", sts);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("StatefulSet.apps \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            invalid!["message"]!.GetValue<string>());

        var mismatched = Workload("mismatch", "agent:1");
        mismatched["spec"]!["template"]!["metadata"]!["labels"] = new JsonObject { ["app"] = "other" };
        var (refused, status) = await api.PostAsync("/apis/apps/v1/namespaces/default/daemonsets", mismatched);
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused);
        Assert.Contains("`selector` does not match template `labels`", status!["message"]!.GetValue<string>());
    }
}
