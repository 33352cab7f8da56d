using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Storage;

/// <summary>Storage admission rules, the CSI provisioner simulation, expansion, reclaim and server-side apply.</summary>
public sealed class StorageModuleTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Apply = "application/apply-patch+yaml";
    private ApiClient Api => fixture.Admin;
    private ObjectStore Store => fixture.Emulator.Store;

    private static JsonObject Claim(string name, string size, string? storageClass = null)
    {
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
        };
        if (storageClass is not null)
        {
            spec["storageClassName"] = storageClass;
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    private async Task CreateClassAsync(string name, string provisioner, bool expansion = true, string reclaim = "Delete", string binding = "Immediate")
    {
        var (status, body) = await Api.PostAsync("/apis/storage.k8s.io/v1/storageclasses", new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1", ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["provisioner"] = provisioner, ["reclaimPolicy"] = reclaim, ["volumeBindingMode"] = binding,
            ["allowVolumeExpansion"] = expansion,
            ["parameters"] = new JsonObject { ["replica_count"] = "3" },
        });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private Task<JsonObject> BoundAsync(string ns, string name) =>
        Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, ns, name) is { } c && c.StringAt("status", "phase") == "Bound" ? c : null, $"claim {name} bound");

    [Fact]
    public async Task ClaimWithoutClassGetsTheDefaultAndIsProvisionedAndBoundBothWays()
    {
        var (status, created) = await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("auto", "1024Mi"));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("standard", created!["spec"]!["storageClassName"]!.GetValue<string>());
        Assert.Equal("1Gi", created["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
        Assert.Contains("kubernetes.io/pvc-protection", created["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        var claim = await BoundAsync("default", "auto");
        var volumeName = claim.StringAt("spec", "volumeName");
        Assert.Equal($"pvc-{claim.StringAt("metadata", "uid")}", volumeName);
        Assert.Equal("yes", claim.StringAt("metadata", "annotations", "pv.kubernetes.io/bind-completed"));
        Assert.Equal(StorageSeeder.Driver, claim.StringAt("metadata", "annotations", "volume.kubernetes.io/storage-provisioner"));
        Assert.Equal("1Gi", claim.StringAt("status", "capacity", "storage"));
        var volume = Store.Get(StorageKinds.PersistentVolumes, null, volumeName!)!;
        Assert.Equal("Bound", volume.StringAt("status", "phase"));
        Assert.Equal("auto", volume.StringAt("spec", "claimRef", "name"));
        Assert.Equal(claim.StringAt("metadata", "uid"), volume.StringAt("spec", "claimRef", "uid"));
        Assert.Equal("Delete", volume.StringAt("spec", "persistentVolumeReclaimPolicy"));
        Assert.Equal(StorageSeeder.Driver, volume.StringAt("metadata", "annotations", "pv.kubernetes.io/provisioned-by"));
        Assert.Contains("external-provisioner.volume.kubernetes.io/finalizer", volume.At("metadata", "finalizers")!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task StorageClassParametersAreImmutable()
    {
        await CreateClassAsync("immutable", "example.csi.k8s.io");

        var (status, body) = await Api.PatchAsync("/apis/storage.k8s.io/v1/storageclasses/immutable", """{"parameters":{"replica_count":"2"}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("StorageClass.storage.k8s.io \"immutable\" is invalid: parameters: Forbidden: updates to parameters are forbidden.", body!["message"]!.GetValue<string>());
        var (allowed, _) = await Api.PatchAsync("/apis/storage.k8s.io/v1/storageclasses/immutable", """{"allowVolumeExpansion":false}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, allowed);
    }

    [Fact]
    public async Task ProvisionerWithoutCsiDriverLeavesTheClaimPendingWithTheProvisionerAnnotation()
    {
        await CreateClassAsync("no-driver", "missing.csi.example.com");
        await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("orphan", "1Gi", "no-driver"));

        var annotated = await Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", "orphan") is { } c
            && c.StringAt("metadata", "annotations", "volume.kubernetes.io/storage-provisioner") is not null ? c : null, "provisioner annotation");
        Assert.Equal("Pending", annotated.StringAt("status", "phase"));
        Assert.Null(annotated.StringAt("spec", "volumeName"));
    }

    [Fact]
    public async Task WaitForFirstConsumerBindsWhenAPodUsingTheClaimIsScheduled()
    {
        await CreateClassAsync("late", StorageSeeder.Driver, binding: "WaitForFirstConsumer");
        await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("late-claim", "1Gi", "late"));
        await Task.Delay(300);
        Assert.Equal("Pending", Store.Get(StorageKinds.PersistentVolumeClaims, "default", "late-claim")!.StringAt("status", "phase"));

        await Api.PostAsync("/api/v1/namespaces/default/pods", Pod("late-user", "late-claim", "worker-2"));

        var claim = await BoundAsync("default", "late-claim");
        Assert.Equal("worker-2", claim.StringAt("metadata", "annotations", "volume.kubernetes.io/selected-node"));
    }

    [Fact]
    public async Task ResizingFollowsTheExpansionFlowAndRefusesShrinkingAndClassesWithoutExpansion()
    {
        await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("grow", "1Gi"));
        await BoundAsync("default", "grow");

        var (grown, _) = await Api.PatchAsync("/api/v1/namespaces/default/persistentvolumeclaims/grow", """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""", "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, grown);
        var pending = await Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", "grow") is { } c
            && c.StringAt("status", "allocatedResourceStatuses", "storage") == "NodeResizePending" ? c : null, "NodeResizePending");
        Assert.Equal("FileSystemResizePending", pending.ObjectsAt("status", "conditions").Single().StringAt("type"));
        Assert.Equal("1Gi", pending.StringAt("status", "capacity", "storage"));
        Assert.Equal("2Gi", Store.Get(StorageKinds.PersistentVolumes, null, pending.StringAt("spec", "volumeName")!)!.StringAt("spec", "capacity", "storage"));
        await Api.PostAsync("/api/v1/namespaces/default/pods", Pod("grow-user", "grow", "worker-1"));
        await Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", "grow") is { } c
            && c.StringAt("status", "capacity", "storage") == "2Gi" ? c : null, "capacity 2Gi after the pod mounts the claim");

        var (shrunk, shrinkBody) = await Api.PatchAsync("/api/v1/namespaces/default/persistentvolumeclaims/grow", """{"spec":{"resources":{"requests":{"storage":"1Gi"}}}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shrunk);
        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity", shrinkBody!["message"]!.GetValue<string>());

        await CreateClassAsync("fixed", StorageSeeder.Driver, expansion: false);
        await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("fixed-claim", "1Gi", "fixed"));
        await BoundAsync("default", "fixed-claim");
        var (forbidden, body) = await Api.PatchAsync("/api/v1/namespaces/default/persistentvolumeclaims/fixed-claim", """{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("persistentvolumeclaims \"fixed-claim\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
            body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingAClaimReclaimsItsVolumeByPolicyAndWaitsForPodsUsingIt()
    {
        await CreateClassAsync("keep", StorageSeeder.Driver, reclaim: "Retain");
        await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("kept", "1Gi", "keep"));
        await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", Claim("dropped", "1Gi"));
        var kept = await BoundAsync("default", "kept");
        var dropped = await BoundAsync("default", "dropped");
        await Api.PostAsync("/api/v1/namespaces/default/pods", Pod("kept-user", "kept", "worker-3"));

        await Api.DeleteAsync("/api/v1/namespaces/default/persistentvolumeclaims/kept");
        await Api.DeleteAsync("/api/v1/namespaces/default/persistentvolumeclaims/dropped");

        await Eventually.IsTrueAsync(() => Store.Get(StorageKinds.PersistentVolumes, null, dropped.StringAt("spec", "volumeName")!) is null, "Delete policy removes the volume");
        await Task.Delay(300);
        var terminating = Store.Get(StorageKinds.PersistentVolumeClaims, "default", "kept");
        Assert.NotNull(terminating?.At("metadata", "deletionTimestamp"));
        await Api.DeleteAsync("/api/v1/namespaces/default/pods/kept-user?gracePeriodSeconds=0");
        await Eventually.IsTrueAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", "kept") is null, "claim gone once its pod is");
        var released = await Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumes, null, kept.StringAt("spec", "volumeName")!) is { } v
            && v.StringAt("status", "phase") == "Released" ? v : null, "Retain leaves the volume Released");
        Assert.Equal("Retain", released.StringAt("spec", "persistentVolumeReclaimPolicy"));
    }

    [Fact]
    public async Task ServerSideApplyCreatesThenMergesAndReportsNoOpsWithoutWriting()
    {
        const string path = "/api/v1/namespaces/default/configmaps/applied?fieldManager=test";
        var (created, first) = await Api.PatchAsync(path, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1","b":"2"}}""", Apply);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("test", first!["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>());

        var (same, second) = await Api.PatchAsync(path, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: \"1\"\n  b: \"2\"\n", Apply);
        Assert.Equal(HttpStatusCode.OK, same);
        Assert.Equal(first["metadata"]!["resourceVersion"]!.GetValue<string>(), second!["metadata"]!["resourceVersion"]!.GetValue<string>());

        var (_, third) = await Api.PatchAsync(path, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"3"}}""", Apply);
        Assert.Equal("""{"a":"3"}""", third!["data"]!.ToJsonString());

        var (noManager, _) = await Api.PatchAsync("/api/v1/namespaces/default/configmaps/applied", "{}", Apply);
        Assert.Equal((HttpStatusCode)422, noManager);
    }

    private static JsonObject Pod(string name, string claim, string node) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = node,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "busybox:1.36" }),
            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } }),
        },
    };
}
