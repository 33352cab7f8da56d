using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Storage;

/// <summary>
/// PersistentVolumes as the PV controller, the pv-protection controller and the external-provisioner move
/// them (pkg/controller/volume): Available when unclaimed, bound to a fitting claim, Released when the
/// claim goes, and a deleted volume Terminating only while a claim is bound to it.
/// </summary>
public sealed class PersistentVolumeLifecycleTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private ObjectStore Store => fixture.Emulator.Store;

    private async Task CreateVolumeAsync(string name, string size, string reclaim = "Retain")
    {
        var (status, body) = await Api.PostAsync("/api/v1/persistentvolumes", JsonNode.Parse("""
            {"metadata":{"name":"NAME"},"spec":{"capacity":{"storage":"SIZE"},"accessModes":["ReadWriteOnce"],
             "persistentVolumeReclaimPolicy":"RECLAIM","storageClassName":"","hostPath":{"path":"/srv/NAME"}}}
            """.Replace("NAME", name).Replace("SIZE", size).Replace("RECLAIM", reclaim))!);
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private async Task CreateClaimAsync(string name, string size, string? volumeName = null)
    {
        var claim = JsonNode.Parse("""
            {"metadata":{"name":"NAME"},"spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"","resources":{"requests":{"storage":"SIZE"}}}}
            """.Replace("NAME", name).Replace("SIZE", size))!;
        if (volumeName is not null)
        {
            claim["spec"]!["volumeName"] = volumeName;
        }
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", claim);
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private Task<JsonObject> PhaseAsync(string volume, string phase) =>
        Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumes, null, volume) is { } v && v.StringAt("status", "phase") == phase ? v : null,
            $"volume {volume} {phase}");

    [Fact]
    public async Task AStaticVolumeIsAvailableAndGoesAtOnceWhenDeletedUnclaimed()
    {
        await CreateVolumeAsync("static-free", "1Gi");

        var available = await PhaseAsync("static-free", "Available");
        await Api.DeleteAsync("/api/v1/persistentvolumes/static-free");

        Assert.NotNull(available.StringAt("status", "lastPhaseTransitionTime"));
        Assert.Contains(StorageKinds.PvProtectionFinalizer, available.At("metadata", "finalizers")!.AsArray().Select(f => f!.GetValue<string>()));
        await Eventually.IsTrueAsync(() => Store.Get(StorageKinds.PersistentVolumes, null, "static-free") is null, "the pv-protection finalizer removed");
    }

    [Fact]
    public async Task APreBoundClaimBindsAndItsVolumeStaysTerminatingUntilTheClaimIsGone()
    {
        await CreateVolumeAsync("static-named", "2Gi");
        await CreateClaimAsync("named", "1Gi", volumeName: "static-named");

        var bound = await PhaseAsync("static-named", "Bound");
        var claim = await Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", "named") is { } c
            && c.StringAt("status", "phase") == "Bound" ? c : null, "claim bound");
        await Api.DeleteAsync("/api/v1/persistentvolumes/static-named");
        await Task.Delay(500);
        var terminating = Store.Get(StorageKinds.PersistentVolumes, null, "static-named");
        await Api.DeleteAsync("/api/v1/namespaces/default/persistentvolumeclaims/named");

        Assert.Equal(claim.StringAt("metadata", "uid"), bound.StringAt("spec", "claimRef", "uid"));
        Assert.Equal("2Gi", claim.StringAt("status", "capacity", "storage"));
        Assert.Null(claim.StringAt("metadata", "annotations", StorageKinds.BoundByControllerAnnotation));
        Assert.Equal("yes", bound.StringAt("metadata", "annotations", StorageKinds.BoundByControllerAnnotation));
        Assert.NotNull(terminating?.At("metadata", "deletionTimestamp"));
        Assert.Equal("Bound", terminating.StringAt("status", "phase"));
        await Eventually.IsTrueAsync(() => Store.Get(StorageKinds.PersistentVolumes, null, "static-named") is null, "the volume gone once released");
    }

    [Fact]
    public async Task AClaimBindsTheSmallestFittingVolumeAndReleasesItWithRetain()
    {
        await CreateVolumeAsync("fit-large", "10Gi");
        await CreateVolumeAsync("fit-small", "3Gi");
        await CreateVolumeAsync("fit-tiny", "1Gi");
        await PhaseAsync("fit-tiny", "Available");

        await CreateClaimAsync("fitting", "2Gi");

        var bound = await PhaseAsync("fit-small", "Bound");
        var claim = Store.Get(StorageKinds.PersistentVolumeClaims, "default", "fitting")!;
        Assert.Equal("fit-small", claim.StringAt("spec", "volumeName"));
        Assert.Equal("yes", claim.StringAt("metadata", "annotations", StorageKinds.BoundByControllerAnnotation));
        Assert.Equal("Available", Store.Get(StorageKinds.PersistentVolumes, null, "fit-large").StringAt("status", "phase"));
        await Api.DeleteAsync("/api/v1/namespaces/default/persistentvolumeclaims/fitting");
        var released = await PhaseAsync("fit-small", "Released");
        await Task.Delay(300);
        Assert.NotNull(Store.Get(StorageKinds.PersistentVolumes, null, "fit-small"));
        Assert.Equal(bound.StringAt("spec", "claimRef", "uid"), released.StringAt("spec", "claimRef", "uid"));
    }

    [Fact]
    public async Task AStaticVolumeWithDeleteFailsForWantOfADeleter()
    {
        await CreateVolumeAsync("static-delete", "1Gi", reclaim: "Delete");
        await CreateClaimAsync("deleting", "1Gi", volumeName: "static-delete");
        await PhaseAsync("static-delete", "Bound");

        await Api.DeleteAsync("/api/v1/namespaces/default/persistentvolumeclaims/deleting");

        var failed = await PhaseAsync("static-delete", "Failed");
        Assert.Equal("error getting deleter volume plugin for volume \"static-delete\": no deletable volume plugin matched", failed.StringAt("status", "message"));
    }

    [Fact]
    public async Task AProvisionedVolumeOfARetainClassCarriesNoProvisionerFinalizer()
    {
        var (created, _) = await Api.PostAsync("/apis/storage.k8s.io/v1/storageclasses", JsonNode.Parse($$"""
            {"metadata":{"name":"retained"},"provisioner":"{{StorageSeeder.Driver}}","reclaimPolicy":"Retain"}
            """)!);
        Assert.Equal(HttpStatusCode.Created, created);
        var (status, _) = await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", JsonNode.Parse("""
            {"metadata":{"name":"retained-claim"},"spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"retained","resources":{"requests":{"storage":"1Gi"}}}}
            """)!);
        Assert.Equal(HttpStatusCode.Created, status);

        var claim = await Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", "retained-claim") is { } c
            && c.StringAt("status", "phase") == "Bound" ? c : null, "claim bound");
        var volume = Store.Get(StorageKinds.PersistentVolumes, null, claim.StringAt("spec", "volumeName")!)!;

        Assert.Equal([StorageKinds.PvProtectionFinalizer], volume.At("metadata", "finalizers")!.AsArray().Select(f => f!.GetValue<string>()));
    }
}
