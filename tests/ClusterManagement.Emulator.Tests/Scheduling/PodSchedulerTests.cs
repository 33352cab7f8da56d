using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Scheduling;

/// <summary>
/// The emulated kube-scheduler against the real one's plugins and messages
/// (pkg/scheduler/framework/plugins: nodeunschedulable, tainttoleration, nodeaffinity, noderesources;
/// framework/types.go FitError; defaultpreemption) and its retry on cluster events.
/// </summary>
public sealed class PodSchedulerTests
{
    private const string ControlPlaneTaint = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";

    private static Task<KubeEmulator> StartAsync() =>
        KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, PodReadySeconds = 0.1, SeedPods = false });

    private static async Task<JsonObject> CreatePodAsync(KubeEmulator emulator, string name, Action<JsonObject>? edit = null)
    {
        var container = new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" };
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
        };
        edit?.Invoke(pod);
        using var api = new ApiClient(emulator.CreateClient());
        var (status, body) = await api.PostAsync("/api/v1/namespaces/default/pods", pod);
        Assert.Equal(HttpStatusCode.Created, status);
        return body!.AsObject();
    }

    private static void Requests(JsonObject pod, string cpu) =>
        pod["spec"]!["containers"]![0]!["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu } };

    private static JsonObject Pod(KubeEmulator emulator, string name) => emulator.Store.Get(CoreKinds.Pods, "default", name)!;

    private static List<JsonObject> Events(KubeEmulator emulator, string pod, string reason) =>
    [
        .. emulator.Store.List(CoreKinds.Events, "default").Items.Select(e => e.ToJson())
            .Where(e => e.StringAt("involvedObject", "name") == pod && e.StringAt("reason") == reason),
    ];

    private static Task<JsonObject> UnschedulableAsync(KubeEmulator emulator, string name, string message) =>
        Eventually.ReturnsAsync(() => Pod(emulator, name).Condition("PodScheduled") is { } c && c.StringAt("status") == "False" && c.StringAt("message") == message ? c : null,
            $"{name} to be unschedulable with: {message} (has: {Pod(emulator, name).Condition("PodScheduled")?.StringAt("message")})");

    private static Task<string> BoundAsync(KubeEmulator emulator, string name) =>
        Eventually.ReturnsAsync(() => Pod(emulator, name).StringAt("spec", "nodeName") is { Length: > 0 } node ? node : null, $"{name} to be bound");

    private static void ChangeNode(KubeEmulator emulator, string name, Action<JsonObject> change) =>
        emulator.Store.Mutate(CoreKinds.Nodes, null, name, node =>
        {
            change(node);
            return true;
        });

    [Fact]
    public async Task APodIsBoundToAWorkerWithTheSchedulersEventAndTheKubeletsEvents()
    {
        await using var emulator = await StartAsync();
        await CreatePodAsync(emulator, "plain");

        var node = await BoundAsync(emulator, "plain");
        Assert.StartsWith("worker-", node);
        await Eventually.IsTrueAsync(() => Pod(emulator, "plain").Condition("Ready")?.StringAt("status") == "True", "plain to be Ready");
        Assert.Equal("True", Pod(emulator, "plain").Condition("PodScheduled")!.StringAt("status"));

        var scheduled = Assert.Single(Events(emulator, "plain", "Scheduled"));
        Assert.Equal($"Successfully assigned default/plain to {node}", scheduled.StringAt("message"));
        Assert.Equal(("Normal", "default-scheduler", "Binding"), (scheduled.StringAt("type"), scheduled.StringAt("reportingComponent"), scheduled.StringAt("action")));
        Assert.NotNull(scheduled.StringAt("eventTime"));
        Assert.Null(scheduled.StringAt("source", "component"));

        var kubelet = new[] { "Pulling", "Pulled", "Created", "Started" }.Select(r => Assert.Single(Events(emulator, "plain", r))).ToList();
        Assert.Equal(
            ["Pulling image \"nginx:1.27\"", "Created container: web", "Started container web"],
            kubelet.Where(e => e.StringAt("reason") != "Pulled").Select(e => e.StringAt("message")));
        Assert.Matches(@"^Successfully pulled image ""nginx:1\.27"" in [0-9.]+m?s \([0-9.]+m?s including waiting\)\. Image size: \d+ bytes\.$", kubelet[1].StringAt("message"));
        Assert.All(kubelet, e =>
        {
            Assert.Equal(("kubelet", node, "spec.containers{web}", 1L), (e.StringAt("source", "component"), e.StringAt("source", "host"), e.StringAt("involvedObject", "fieldPath"), e.LongAt("count")));
        });
    }

    [Fact]
    public async Task TaintsAndCpuShortageRefuseWithTheFitErrorAndANewNodeTakesThePod()
    {
        await using var emulator = await StartAsync();
        await CreatePodAsync(emulator, "big", p => Requests(p, "5"));

        var condition = await UnschedulableAsync(emulator, "big",
            $"0/3 nodes are available: {ControlPlaneTaint}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.");
        Assert.Equal("Unschedulable", condition.StringAt("reason"));
        Assert.Equal("Pending", Pod(emulator, "big").StringAt("status", "phase"));
        var failed = Assert.Single(Events(emulator, "big", "FailedScheduling"));
        Assert.Equal(("Warning", condition.StringAt("message"), "default-scheduler"), (failed.StringAt("type"), failed.StringAt("message"), failed.StringAt("reportingComponent")));

        // A heartbeat changes nothing scheduling reads: no retry, so no second FailedScheduling.
        await Task.Delay(300);
        Assert.Null(Assert.Single(Events(emulator, "big", "FailedScheduling")).At("series"));

        var bigger = emulator.Store.Get(CoreKinds.Nodes, null, "worker-2")!;
        bigger["metadata"] = new JsonObject { ["name"] = "worker-9", ["labels"] = bigger.At("metadata", "labels")!.DeepClone() };
        bigger["status"]!["allocatable"]!["cpu"] = "8";
        bigger.Remove("apiVersion");
        emulator.Store.Create(CoreKinds.Nodes, bigger);

        Assert.Equal("worker-9", await BoundAsync(emulator, "big"));
    }

    [Fact]
    public async Task RequestsOfPodsAlreadyOnANodeCountAndAFreedNodeTakesTheWaitingPod()
    {
        await using var emulator = await StartAsync();
        await CreatePodAsync(emulator, "first", p => Requests(p, "3"));
        await CreatePodAsync(emulator, "second", p => Requests(p, "3"));
        var nodes = new[] { await BoundAsync(emulator, "first"), await BoundAsync(emulator, "second") };
        Assert.Equal(["worker-1", "worker-2"], nodes.Order());

        await CreatePodAsync(emulator, "third", p => Requests(p, "3"));
        await UnschedulableAsync(emulator, "third",
            $"0/3 nodes are available: {ControlPlaneTaint}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.");

        emulator.Store.Delete(CoreKinds.Pods, "default", "first");
        Assert.Equal(nodes[0], await BoundAsync(emulator, "third"));
    }

    [Fact]
    public async Task CordonedNodesRefuseUntilUncordonedAndRepeatedRefusalsFormASeries()
    {
        await using var emulator = await StartAsync();
        ChangeNode(emulator, "worker-1", n => n["spec"]!["unschedulable"] = true);
        ChangeNode(emulator, "worker-2", n => n["spec"]!["unschedulable"] = true);
        await CreatePodAsync(emulator, "waiting");

        var message = $"0/3 nodes are available: {ControlPlaneTaint}, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        await UnschedulableAsync(emulator, "waiting", message);

        // A label change is a node update the queue reacts to; the pod still fits nowhere, so the same event repeats.
        ChangeNode(emulator, "cp-1", n => n["metadata"]!["labels"]!["zone"] = "a");
        var series = await Eventually.ReturnsAsync(() => Events(emulator, "waiting", "FailedScheduling").SingleOrDefault(e => e.LongAt("series", "count") == 2), "a FailedScheduling series of 2");
        Assert.Equal(message, series.StringAt("message"));
        Assert.NotNull(series.StringAt("series", "lastObservedTime"));

        ChangeNode(emulator, "worker-2", n => n["spec"]!.AsObject().Remove("unschedulable"));
        Assert.Equal("worker-2", await BoundAsync(emulator, "waiting"));
    }

    [Fact]
    public async Task NodeSelectorAndRequiredAffinityPickMatchingNodesAndTolerationsOpenTaintedOnes()
    {
        await using var emulator = await StartAsync();
        await CreatePodAsync(emulator, "ssd", p => p["spec"]!["nodeSelector"] = new JsonObject { ["disk"] = "ssd" });
        await CreatePodAsync(emulator, "on-cp", p =>
        {
            p["spec"]!["tolerations"] = new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["operator"] = "Exists", ["effect"] = "NoSchedule" });
            p["spec"]!["affinity"] = JsonNode.Parse("""
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchExpressions":[{"key":"node-role.kubernetes.io/control-plane","operator":"Exists"}]}]}}}
                """);
        });

        await UnschedulableAsync(emulator, "ssd",
            $"0/3 nodes are available: {ControlPlaneTaint}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        Assert.Equal("cp-1", await BoundAsync(emulator, "on-cp"));

        ChangeNode(emulator, "worker-2", n => n["metadata"]!["labels"]!["disk"] = "ssd");
        Assert.Equal("worker-2", await BoundAsync(emulator, "ssd"));
    }

    [Fact]
    public async Task ANodeThatIsNotReadyGetsNoPodsAsTheNotReadyTaintWouldKeepThemOff()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, ControlPlanes = 1, SeedPods = false, PodReadySeconds = 0.1 });
        emulator.Heartbeats.Stop("worker-1");
        ChangeNode(emulator, "worker-1", n => n.Condition("Ready")!["status"] = "False");
        await CreatePodAsync(emulator, "nowhere");

        await UnschedulableAsync(emulator, "nowhere",
            $"0/2 nodes are available: 1 node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}, 1 node(s) had untolerated taint {{node.kubernetes.io/not-ready: }}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
    }
}
