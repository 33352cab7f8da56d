using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Apps;

/// <summary>The emulated deployment and replicaset controllers against the real ones' rules (pkg/controller/deployment).</summary>
public sealed class DeploymentControllerTests
{
    private static async Task<KubeEmulator> StartAsync() =>
        await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3, PodReadySeconds = 0.2, SampleApp = true });

    private static JsonObject Create(KubeEmulator emulator, string name, int replicas, Action<JsonObject>? edit = null)
    {
        var d = AppsSeeder.Deployment(name, "default", "nginx:1.27", replicas, DateTimeOffset.UtcNow);
        edit?.Invoke(d);
        return emulator.Store.Create(AppsKinds.Deployments, d);
    }

    private static void SetImage(KubeEmulator emulator, string name, string image) =>
        emulator.Store.Mutate(AppsKinds.Deployments, "default", name, d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
            return true;
        });

    private static List<JsonObject> Sets(KubeEmulator emulator, string name) =>
        [.. emulator.Store.List(AppsKinds.ReplicaSets, "default").Items.Select(s => s.ToJson()).Where(r => r.ObjectsAt("metadata", "ownerReferences").Any(o => o.StringAt("name") == name))];

    private static bool Complete(KubeEmulator emulator, string name)
    {
        var d = emulator.Store.Get(AppsKinds.Deployments, "default", name)!;
        var replicas = d.LongAt("spec", "replicas");
        return d.LongAt("status", "observedGeneration") == d.LongAt("metadata", "generation")
            && d.LongAt("status", "updatedReplicas") == replicas && d.LongAt("status", "availableReplicas") == replicas
            && (d.LongAt("status", "replicas") ?? 0) == replicas;
    }

    [Fact]
    public async Task CreatesAHashNamedReplicaSetWithRevisionOwnerAndReadyPods()
    {
        await using var emulator = await StartAsync();
        var d = Create(emulator, "shop", 3);
        await Eventually.IsTrueAsync(() => Complete(emulator, "shop"), "shop rolled out");

        var rs = Assert.Single(Sets(emulator, "shop"));
        var hash = rs.StringAt("metadata", "labels", "pod-template-hash")!;
        Assert.Equal($"shop-{hash}", rs.Name());
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", hash);
        Assert.Equal(hash, PodTemplateHash.Compute((JsonObject)d["spec"]!["template"]!, null));
        Assert.Equal(hash, rs.StringAt("spec", "selector", "matchLabels", "pod-template-hash"));
        Assert.Equal("1", rs.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision"));
        Assert.Equal("3", rs.StringAt("metadata", "annotations", "deployment.kubernetes.io/desired-replicas"));
        Assert.Equal("4", rs.StringAt("metadata", "annotations", "deployment.kubernetes.io/max-replicas"));
        var owner = Assert.Single(rs.ObjectsAt("metadata", "ownerReferences"));
        Assert.Equal(d.StringAt("metadata", "uid"), owner.StringAt("uid"));
        Assert.True(owner.BoolAt("controller") && owner.BoolAt("blockOwnerDeletion"));

        var pods = emulator.Store.List(CoreKinds.Pods, "default").Items.Select(p => p.ToJson()).Where(p => p.Name().StartsWith("shop-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.StartsWith(rs.Name() + "-", p.Name());
            Assert.Equal(hash, p.StringAt("metadata", "labels", "pod-template-hash"));
            Assert.Equal("Running", p.StringAt("status", "phase"));
            Assert.StartsWith("worker-", p.StringAt("spec", "nodeName"));
        });
        var deployment = emulator.Store.Get(AppsKinds.Deployments, "default", "shop")!;
        Assert.Equal("1", deployment.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision"));
        Assert.Equal("NewReplicaSetAvailable", deployment.Condition("Progressing")!.StringAt("reason"));
        Assert.Equal($"ReplicaSet \"{rs.Name()}\" has successfully progressed.", deployment.Condition("Progressing")!.StringAt("message"));
        Assert.Equal("MinimumReplicasAvailable", deployment.Condition("Available")!.StringAt("reason"));
    }

    [Fact]
    public async Task RollingUpdateStaysWithinMaxSurgeAndMaxUnavailable()
    {
        await using var emulator = await StartAsync();
        Create(emulator, "surge", 4, d => d["spec"]!["strategy"] = new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxSurge"] = 1, ["maxUnavailable"] = 0 },
        });
        await Eventually.IsTrueAsync(() => Complete(emulator, "surge"), "surge rolled out");
        using var watch = emulator.Store.Watch(AppsKinds.ReplicaSets);
        SetImage(emulator, "surge", "nginx:1.28");
        await Eventually.IsTrueAsync(() => Complete(emulator, "surge") && Sets(emulator, "surge").Count == 2, "surge updated", 20);

        // Every state the ReplicaSets passed through: desired pods within 4 + 1, available never under 4 - 0.
        var latest = new Dictionary<string, JsonObject>();
        while (watch.Events.TryRead(out var e))
        {
            latest[e.Object.Name] = e.Object.ToJson();
            Assert.InRange(latest.Values.Sum(r => r.LongAt("spec", "replicas") ?? 0), 0, 5);
            if (latest.Count == 2)
            {
                Assert.True(latest.Values.Sum(r => r.LongAt("status", "availableReplicas") ?? 0) >= 4 || latest.Values.Any(r => r.LongAt("status", "observedGeneration") != r.LongAt("metadata", "generation")));
            }
        }
        Assert.Equal(["1", "2"], Sets(emulator, "surge").Select(r => r.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision")).Order());
    }

    [Fact]
    public async Task RollbackReusesTheOldSetUnderANewRevisionAndPrunesBeyondTheHistoryLimit()
    {
        await using var emulator = await StartAsync();
        Create(emulator, "prune", 1, d => d["spec"]!["revisionHistoryLimit"] = 2);
        await Eventually.IsTrueAsync(() => Complete(emulator, "prune"), "prune rolled out");
        foreach (var image in new[] { "nginx:1.28", "nginx:1.29", "nginx:1.27" })
        {
            SetImage(emulator, "prune", image);
            await Eventually.IsTrueAsync(() => Complete(emulator, "prune") && Sets(emulator, "prune").Count(r => (r.LongAt("spec", "replicas") ?? 0) > 0) == 1, $"prune on {image}", 20);
        }
        var first = Sets(emulator, "prune").Single(r => r.ObjectsAt("spec", "template", "spec", "containers").First().StringAt("image") == "nginx:1.27");
        Assert.Equal("4", first.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision"));
        Assert.Equal("1", first.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision-history"));

        SetImage(emulator, "prune", "nginx:1.30");
        await Eventually.IsTrueAsync(
            () => Complete(emulator, "prune") && Sets(emulator, "prune").Count == 3
                && Sets(emulator, "prune").Any(r => r.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision") == "5"),
            "history pruned to the limit", 20);
        Assert.Equal(["3", "4", "5"], Sets(emulator, "prune").Select(r => r.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision")).Order());
    }

    [Fact]
    public async Task AnUnpullableImageExceedsTheProgressDeadline()
    {
        await using var emulator = await StartAsync();
        Create(emulator, "stuck", 2, d => d["spec"]!["progressDeadlineSeconds"] = 1);
        await Eventually.IsTrueAsync(() => Complete(emulator, "stuck"), "stuck rolled out");
        SetImage(emulator, "stuck", "nginx:broken");
        var condition = await Eventually.ReturnsAsync(
            () => emulator.Store.Get(AppsKinds.Deployments, "default", "stuck")!.Condition("Progressing") is { } c && c.StringAt("reason") == "ProgressDeadlineExceeded" ? c : null,
            "the progress deadline", 20);
        var newSet = Sets(emulator, "stuck").Single(r => r.StringAt("metadata", "annotations", "deployment.kubernetes.io/revision") == "2");
        Assert.Equal("False", condition.StringAt("status"));
        Assert.Equal($"ReplicaSet \"{newSet.Name()}\" has timed out progressing.", condition.StringAt("message"));
        var pod = emulator.Store.List(CoreKinds.Pods, "default").Items.Select(p => p.ToJson()).First(p => p.Name().StartsWith(newSet.Name(), StringComparison.Ordinal));
        // The kubelet alternates between the two while it retries the pull, as the real one does.
        Assert.Contains(pod.ObjectsAt("status", "containerStatuses").Single().StringAt("state", "waiting", "reason"), new[] { "ErrImagePull", "ImagePullBackOff" });
        // The old pods keep serving: only the surge pod was added.
        Assert.Equal(2, emulator.Store.Get(AppsKinds.Deployments, "default", "stuck")!.LongAt("status", "availableReplicas"));
    }

    [Fact]
    public async Task ScaleSubresourceIsDiscoverableAndOptimistic()
    {
        await using var emulator = await StartAsync();
        using var api = new ApiClient(emulator.CreateClient());
        var (_, discovery) = await api.GetAsync("/apis/apps/v1");
        var scale = discovery!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "deployments/scale")!;
        Assert.Equal("autoscaling", scale["group"]!.GetValue<string>());
        Assert.Equal("v1", scale["version"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());

        var (status, current) = await api.GetAsync("/apis/apps/v1/namespaces/default/deployments/web/scale");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("app=web", current!["status"]!["selector"]!.GetValue<string>());
        var stale = current.DeepClone();
        stale["spec"]!["replicas"] = 3;
        stale["metadata"]!["resourceVersion"] = "1";
        Assert.Equal(HttpStatusCode.Conflict, (await api.PutAsync("/apis/apps/v1/namespaces/default/deployments/web/scale", stale)).Status);
        var (invalid, body) = await api.PatchAsync("/apis/apps/v1/namespaces/default/deployments/web/scale", "{\"spec\":{\"replicas\":-1}}", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Equal("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", body!["message"]!.GetValue<string>());
        var (ok, scaled) = await api.PatchAsync("/apis/apps/v1/namespaces/default/deployments/web/scale", "{\"spec\":{\"replicas\":4}}", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(4, scaled!["spec"]!["replicas"]!.GetValue<long>());
        await Eventually.IsTrueAsync(() => Complete(emulator, "web"), "web scaled to 4");
    }

    [Fact]
    public async Task RejectsASelectorThatDoesNotMatchTheTemplate()
    {
        await using var emulator = await StartAsync();
        using var api = new ApiClient(emulator.CreateClient());
        var d = AppsSeeder.Deployment("bad", "default", "nginx:1", 1, DateTimeOffset.UtcNow);
        d.Metadata().Remove("creationTimestamp");
        d["spec"]!["selector"]!["matchLabels"]!["app"] = "other";
        var (status, body) = await api.PostAsync("/apis/apps/v1/namespaces/default/deployments", d);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("`selector` does not match template `labels`", body!["message"]!.GetValue<string>());
    }
}
