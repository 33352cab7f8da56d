using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;
using ClusterManagement.Emulator.Workloads;

namespace ClusterManagement.Emulator.Tests.Workloads;

/// <summary>
/// StatefulSet ControllerRevisions and volumeClaimTemplates as pkg/controller/statefulset keeps them
/// (stateful_set_control.go getStatefulSetRevisions/truncateHistory, stateful_set_utils.go
/// getPatch/getPersistentVolumeClaims/updateClaimOwnerRefForSetAndPod), and kubectl's rollout
/// history/undo against them (k8s.io/kubectl/pkg/polymorphichelpers history.go, rollback.go).
/// </summary>
public sealed class StatefulSetHistoryAndClaimsTests
{
    private static async Task<KubeEmulator> StartAsync() =>
        await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3, PodReadySeconds = 0.2 });

    private static JsonObject Set(string name, int replicas, string image, string? claims = null, string whenDeleted = "Retain", string whenScaled = "Retain")
    {
        var set = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"NAME","namespace":"default"},
             "spec":{"serviceName":"NAME","selector":{"matchLabels":{"app":"NAME"}},
              "template":{"metadata":{"labels":{"app":"NAME"}},"spec":{"terminationGracePeriodSeconds":0,"containers":[{"name":"main","image":"IMAGE"}]}}}}
            """.Replace("NAME", name).Replace("IMAGE", image))!.AsObject();
        var spec = set.ObjectAt("spec");
        spec["replicas"] = replicas;
        spec["persistentVolumeClaimRetentionPolicy"] = new JsonObject { ["whenDeleted"] = whenDeleted, ["whenScaled"] = whenScaled };
        if (claims is not null)
        {
            spec["volumeClaimTemplates"] = JsonNode.Parse("""
                [{"metadata":{"name":"CLAIM","labels":{"tier":"db"}},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]
                """.Replace("CLAIM", claims));
        }
        return set;
    }

    private static ApiClient Api(KubeEmulator emulator) => new(emulator.CreateClient());

    private static JsonObject? Get(KubeEmulator emulator, string name) => emulator.Store.Get(WorkloadKinds.StatefulSets, "default", name);

    private static List<JsonObject> Revisions(KubeEmulator emulator, string name) =>
        [.. emulator.Store.List(WorkloadKinds.ControllerRevisions, "default").Items.Select(r => r.ToJson())
            .Where(r => r.ObjectsAt("metadata", "ownerReferences").Any(o => o.StringAt("name") == name)).OrderBy(r => r.LongAt("revision"))];

    private static JsonObject? Claim(KubeEmulator emulator, string name) => emulator.Store.Get(StorageKinds.PersistentVolumeClaims, "default", name);

    private static Task ReadyAsync(KubeEmulator emulator, string name, int replicas, string image) => Eventually.IsTrueAsync(() =>
        Get(emulator, name) is { } s && s.LongAt("status", "readyReplicas") == replicas && s.LongAt("status", "updatedReplicas") == replicas
        && s.StringAt("status", "currentRevision") == s.StringAt("status", "updateRevision")
        && emulator.Store.List(CoreKinds.Pods, "default").Items.Select(p => p.ToJson()).Count(p => p.StringAt("metadata", "labels", "app") == name
            && p.ObjectsAt("spec", "containers").Single().StringAt("image") == image) == replicas, $"{name} ready at {image}", 30);

    private static void SetImage(KubeEmulator emulator, string name, string image) =>
        emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", name, s =>
        {
            s["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
            return true;
        });

    [Fact]
    public async Task EachTemplateIsAControllerRevisionThatARollbackReusesAndTheHistoryLimitPrunes()
    {
        await using var emulator = await StartAsync();
        using var api = Api(emulator);
        var (created, _) = await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Set("db", 2, "db:1"));
        Assert.Equal(HttpStatusCode.Created, created);
        await ReadyAsync(emulator, "db", 2, "db:1");

        var first = Assert.Single(Revisions(emulator, "db"));
        var set = Get(emulator, "db")!;
        Assert.Equal(set.StringAt("status", "updateRevision"), first.Name());
        Assert.Equal(1, first.LongAt("revision"));
        Assert.Equal($"db-{first.StringAt("metadata", "labels", "controller-revision-hash")}", first.Name());
        Assert.Equal("db", first.StringAt("metadata", "labels", "app"));
        var owner = first.ObjectsAt("metadata", "ownerReferences").Single();
        Assert.Equal(("StatefulSet", "db", set.StringAt("metadata", "uid"), true, true),
            (owner.StringAt("kind"), owner.StringAt("name"), owner.StringAt("uid"), owner.BoolAt("controller"), owner.BoolAt("blockOwnerDeletion")));
        Assert.Equal("replace", first.StringAt("data", "spec", "template", "$patch"));
        Assert.Equal("db:1", first.ObjectsAt("data", "spec", "template", "spec", "containers").Single().StringAt("image"));
        Assert.All(emulator.Store.List(CoreKinds.Pods, "default").Items.Select(p => p.ToJson()).Where(p => p.StringAt("metadata", "labels", "app") == "db"),
            p => Assert.Equal(first.Name(), p.StringAt("metadata", "labels", "controller-revision-hash")));

        SetImage(emulator, "db", "db:2");
        await ReadyAsync(emulator, "db", 2, "db:2");
        Assert.Equal([1L, 2L], Revisions(emulator, "db").Select(r => r.LongAt("revision")!.Value));

        // Back to the first template: its revision is reused under the next number, not copied.
        SetImage(emulator, "db", "db:1");
        await ReadyAsync(emulator, "db", 2, "db:1");
        var afterRollback = Revisions(emulator, "db");
        Assert.Equal([(2L, "db:2"), (3L, "db:1")], afterRollback.Select(r => (r.LongAt("revision")!.Value, r.ObjectsAt("data", "spec", "template", "spec", "containers").Single().StringAt("image"))));
        Assert.Equal(first.Name(), afterRollback[^1].Name());
        Assert.Equal(first.StringAt("metadata", "uid"), afterRollback[^1].StringAt("metadata", "uid"));

        // A limit of 1 keeps the live revision and one other, the newest.
        emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", "db", s =>
        {
            s["spec"]!["revisionHistoryLimit"] = 1;
            return true;
        });
        SetImage(emulator, "db", "db:3");
        await ReadyAsync(emulator, "db", 2, "db:3");
        await Eventually.IsTrueAsync(() => Revisions(emulator, "db").Count == 2, "history pruned to the limit");
        Assert.Equal([3L, 4L], Revisions(emulator, "db").Select(r => r.LongAt("revision")!.Value));
    }

    [Fact]
    public async Task ClaimsFromTemplatesComeBeforeTheirPodsAndOutliveScaleDownAndDeletionByDefault()
    {
        await using var emulator = await StartAsync();
        using var api = Api(emulator);
        var (created, body) = await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Set("kept", 2, "db:1", claims: "data"));
        Assert.Equal(HttpStatusCode.Created, created);
        var template = body!["spec"]!["volumeClaimTemplates"]![0]!;
        Assert.Equal("Filesystem", template["spec"]!["volumeMode"]!.GetValue<string>());
        Assert.Equal("Pending", template["status"]!["phase"]!.GetValue<string>());
        await ReadyAsync(emulator, "kept", 2, "db:1");

        foreach (var ordinal in new[] { 0, 1 })
        {
            var claim = Claim(emulator, $"data-kept-{ordinal}");
            Assert.NotNull(claim);
            var pod = emulator.Store.Find(CoreKinds.Pods, "default", $"kept-{ordinal}")!;
            Assert.True(long.Parse(claim.StringAt("metadata", "resourceVersion")!) < pod.ResourceVersion, "the claim is created before its pod");
            Assert.Equal(("kept", "db"), (claim.StringAt("metadata", "labels", "app"), claim.StringAt("metadata", "labels", "tier")));
            Assert.Null(claim.At("metadata", "ownerReferences"));
            Assert.Equal("standard", claim.StringAt("spec", "storageClassName"));
            Assert.Contains("kubernetes.io/pvc-protection", claim.At("metadata", "finalizers")!.AsArray().Select(f => f!.GetValue<string>()));
            var volume = pod.ToJson().ObjectsAt("spec", "volumes").Single(v => v.StringAt("name") == "data");
            Assert.Equal($"data-kept-{ordinal}", volume.StringAt("persistentVolumeClaim", "claimName"));
        }
        await Eventually.IsTrueAsync(() => Claim(emulator, "data-kept-0")?.StringAt("status", "phase") == "Bound", "claim provisioned and bound");

        emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", "kept", s =>
        {
            s["spec"]!["replicas"] = 1;
            return true;
        });
        await Eventually.IsTrueAsync(() => emulator.Store.Find(CoreKinds.Pods, "default", "kept-1") is null, "kept-1 scaled down");
        var (deleted, _) = await api.DeleteAsync("/apis/apps/v1/namespaces/default/statefulsets/kept");
        Assert.Equal(HttpStatusCode.OK, deleted);
        await Eventually.IsTrueAsync(() => emulator.Store.Find(CoreKinds.Pods, "default", "kept-0") is null && Revisions(emulator, "kept").Count == 0, "pods and revisions collected");
        await Task.Delay(500);
        Assert.NotNull(Claim(emulator, "data-kept-0"));
        Assert.NotNull(Claim(emulator, "data-kept-1"));
        Assert.Null(Claim(emulator, "data-kept-1")!.At("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task RetentionPolicyDeleteHandsClaimsToTheSetAndToScaledDownPodsSoTheyGoWithThem()
    {
        await using var emulator = await StartAsync();
        using var api = Api(emulator);
        var (created, _) = await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Set("gone", 2, "db:1", claims: "data", whenDeleted: "Delete", whenScaled: "Delete"));
        Assert.Equal(HttpStatusCode.Created, created);
        await ReadyAsync(emulator, "gone", 2, "db:1");
        var uid = Get(emulator, "gone")!.StringAt("metadata", "uid");
        await Eventually.IsTrueAsync(() => Enumerable.Range(0, 2).All(i => Claim(emulator, $"data-gone-{i}")?.ObjectsAt("metadata", "ownerReferences").SingleOrDefault() is { } o
            && o.StringAt("kind") == "StatefulSet" && o.StringAt("uid") == uid && o.BoolAt("controller") && o.BoolAt("blockOwnerDeletion")), "claims owned by the set");

        emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", "gone", s =>
        {
            s["spec"]!["replicas"] = 1;
            return true;
        });
        // The condemned pod becomes the claim's controller before it goes, so the collector takes the claim with it.
        await Eventually.IsTrueAsync(() => emulator.Store.Find(CoreKinds.Pods, "default", "gone-1") is null && Claim(emulator, "data-gone-1") is null, "scaled-down claim collected");
        Assert.NotNull(Claim(emulator, "data-gone-0"));

        var (deleted, _) = await api.DeleteAsync("/apis/apps/v1/namespaces/default/statefulsets/gone");
        Assert.Equal(HttpStatusCode.OK, deleted);
        await Eventually.IsTrueAsync(() => Claim(emulator, "data-gone-0") is null, "claim collected with its set");
    }

    [Fact]
    public async Task APodWaitsWhileItsClaimIsBeingDeletedAndComesWithANewClaimOnceItIsGone()
    {
        await using var emulator = await StartAsync();
        using var api = Api(emulator);
        var (created, _) = await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Set("wait", 1, "db:1", claims: "data"));
        Assert.Equal(HttpStatusCode.Created, created);
        await ReadyAsync(emulator, "wait", 1, "db:1");
        void Scale(int replicas) => emulator.Store.Mutate(WorkloadKinds.StatefulSets, "default", "wait", s =>
        {
            s["spec"]!["replicas"] = replicas;
            return true;
        });
        Scale(0);
        await Eventually.IsTrueAsync(() => emulator.Store.Find(CoreKinds.Pods, "default", "wait-0") is null, "wait-0 scaled down");
        var old = Claim(emulator, "data-wait-0")!.StringAt("metadata", "uid");
        emulator.Store.Mutate(StorageKinds.PersistentVolumeClaims, "default", "data-wait-0", c =>
        {
            c["metadata"]!["finalizers"]!.AsArray().Add("example.com/hold");
            return true;
        });
        await api.DeleteAsync("/api/v1/namespaces/default/persistentvolumeclaims/data-wait-0");

        Scale(1);
        await Task.Delay(1500);
        Assert.Null(emulator.Store.Find(CoreKinds.Pods, "default", "wait-0"));

        emulator.Store.Mutate(StorageKinds.PersistentVolumeClaims, "default", "data-wait-0", c =>
        {
            c["metadata"]!["finalizers"] = new JsonArray(c["metadata"]!["finalizers"]!.AsArray().Where(f => f!.GetValue<string>() != "example.com/hold").Select(f => (JsonNode)f!.GetValue<string>()).ToArray());
            return true;
        });
        await ReadyAsync(emulator, "wait", 1, "db:1");
        Assert.NotEqual(old, Claim(emulator, "data-wait-0")!.StringAt("metadata", "uid"));
    }

    [KubectlFact]
    public async Task KubectlRolloutHistoryAndUndoWorkOnTheRevisions()
    {
        await using var emulator = await StartAsync();
        using var api = Api(emulator);
        var (created, _) = await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Set("web", 1, "web:1"));
        Assert.Equal(HttpStatusCode.Created, created);
        await ReadyAsync(emulator, "web", 1, "web:1");
        SetImage(emulator, "web", "web:2");
        await ReadyAsync(emulator, "web", 1, "web:2");

        var history = await Kubectl.RunAsync(emulator.KubeconfigPath, "rollout", "history", "statefulset/web");
        Assert.Equal(0, history.ExitCode);
        Assert.Equal(["statefulset.apps/web", "REVISION  CHANGE-CAUSE", "1         <none>", "2         <none>"],
            history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
        var first = await Kubectl.RunAsync(emulator.KubeconfigPath, "rollout", "history", "statefulset/web", "--revision=1");
        Assert.Contains("statefulset.apps/web with revision #1", first.Output);
        Assert.Contains("Image:\tweb:1", first.Output.Replace("      ", "\t"));
        var table = await Kubectl.RunAsync(emulator.KubeconfigPath, "get", "controllerrevisions");
        Assert.Matches(@"(?m)^NAME\s+CONTROLLER\s+REVISION\s+AGE$", table.Output);
        Assert.Matches(@"(?m)^web-\w+\s+statefulset\.apps/web\s+2\s+\d+s$", table.Output);

        var undo = await Kubectl.RunAsync(emulator.KubeconfigPath, "rollout", "undo", "statefulset/web");
        Assert.Equal((0, "statefulset.apps/web rolled back"), (undo.ExitCode, undo.Output.Trim()));
        Assert.Equal("web:1", Get(emulator, "web")!.ObjectsAt("spec", "template", "spec", "containers").Single().StringAt("image"));
        await ReadyAsync(emulator, "web", 1, "web:1");
        Assert.Equal([2L, 3L], Revisions(emulator, "web").Select(r => r.LongAt("revision")!.Value));

        var again = await Kubectl.RunAsync(emulator.KubeconfigPath, "rollout", "undo", "statefulset/web", "--to-revision=3");
        Assert.Equal((0, "statefulset.apps/web skipped rollback (current template already matches revision 3)"), (again.ExitCode, again.Output.Trim()));
    }
}
