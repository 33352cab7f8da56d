using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Storage;

/// <summary>
/// The events the PV controller, the external-provisioner and the external-resizer write about a claim, with the
/// real reasons and messages, and the CSIDriver knobs that make a driver fail or lack expansion.
/// </summary>
public sealed class StorageEventsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;
    private ObjectStore Store => fixture.Emulator.Store;

    [Fact]
    public async Task ClaimWithoutClassAndNoVolumeGetsFailedBinding()
    {
        await CreateClaimAsync("classless", "");

        var ev = await EventAsync("classless", "FailedBinding");
        Assert.Equal("Normal", ev.StringAt("type"));
        Assert.Equal("no persistent volumes available for this claim and no storage class is set", ev.StringAt("message"));
        Assert.Equal("persistentvolume-controller", ev.StringAt("source", "component"));
    }

    [Fact]
    public async Task WaitForFirstConsumerClaimWithoutPodGetsTheEventAndNoExternalProvisioning()
    {
        await CreateClassAsync("wffc-events", StorageSeeder.Driver, "WaitForFirstConsumer");
        await CreateClaimAsync("wffc-claim", "wffc-events");

        var ev = await EventAsync("wffc-claim", "WaitForFirstConsumer");
        Assert.Equal("waiting for first consumer to be created before binding", ev.StringAt("message"));
        Assert.DoesNotContain(EventsOf("wffc-claim"), e => e.StringAt("reason") == "ExternalProvisioning");
    }

    [Fact]
    public async Task ProvisionerWithoutDriverGetsExternalProvisioningOnly()
    {
        await CreateClassAsync("no-driver-events", "absent.csi.example.com");
        await CreateClaimAsync("absent-claim", "no-driver-events");

        var ev = await EventAsync("absent-claim", "ExternalProvisioning");
        Assert.Equal("Waiting for a volume to be created either by the external provisioner 'absent.csi.example.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
            ev.StringAt("message"));
        Assert.DoesNotContain(EventsOf("absent-claim"), e => e.StringAt("reason") == "Provisioning");
    }

    [Fact]
    public async Task DriverWhoseCreateVolumeFailsGetsProvisioningFailedAndTheClaimStaysPending()
    {
        await CreateDriverAsync("failing.csi.example.com", new JsonObject { [StorageKinds.CreateVolumeErrorAnnotation] = "rpc error: code = ResourceExhausted desc = pool exhausted" });
        await CreateClassAsync("failing", "failing.csi.example.com");
        await CreateClaimAsync("doomed", "failing");

        var failed = await EventAsync("doomed", "ProvisioningFailed");
        Assert.Equal("Warning", failed.StringAt("type"));
        Assert.Equal("failed to provision volume with StorageClass \"failing\": rpc error: code = ResourceExhausted desc = pool exhausted", failed.StringAt("message"));
        Assert.StartsWith("failing.csi.example.com_", failed.StringAt("source", "component"));
        Assert.Equal("External provisioner is provisioning volume for claim \"default/doomed\"", (await EventAsync("doomed", "Provisioning")).StringAt("message"));
        Assert.Equal("Pending", Store.Get(StorageKinds.PersistentVolumeClaims, "default", "doomed")!.StringAt("status", "phase"));
    }

    [Fact]
    public async Task ProvisionedClaimGetsProvisioningSucceeded()
    {
        await CreateClaimAsync("fine", "standard");

        var ev = await EventAsync("fine", "ProvisioningSucceeded");
        var claim = Store.Get(StorageKinds.PersistentVolumeClaims, "default", "fine")!;
        Assert.Equal($"Successfully provisioned volume {claim.StringAt("spec", "volumeName")}", ev.StringAt("message"));
    }

    [Fact]
    public async Task DriverWithoutExpansionLeavesOnlyExternalExpandingAndNoResizeStatus()
    {
        await CreateDriverAsync("fixed.csi.example.com", new JsonObject { [StorageKinds.ControllerExpansionAnnotation] = "false" });
        await CreateClassAsync("fixed-size", "fixed.csi.example.com");
        await CreateClaimAsync("stuck-size", "fixed-size");
        await BoundAsync("stuck-size");

        await GrowAsync("stuck-size");

        var ev = await EventAsync("stuck-size", "ExternalExpanding");
        Assert.Equal("waiting for an external controller to expand this PVC", ev.StringAt("message"));
        await Task.Delay(600);
        var claim = Store.Get(StorageKinds.PersistentVolumeClaims, "default", "stuck-size")!;
        Assert.Null(claim.At("status", "allocatedResourceStatuses"));
        Assert.Null(claim.At("status", "conditions"));
        Assert.DoesNotContain(EventsOf("stuck-size"), e => e.StringAt("reason") == "Resizing");
    }

    [Fact]
    public async Task DriverWhoseExpandVolumeFailsGetsVolumeResizeFailed()
    {
        await CreateDriverAsync("brittle.csi.example.com", new JsonObject { [StorageKinds.ExpandVolumeErrorAnnotation] = "rpc error: code = OutOfRange desc = quota exceeded" });
        await CreateClassAsync("brittle", "brittle.csi.example.com");
        await CreateClaimAsync("brittle-claim", "brittle");
        var bound = await BoundAsync("brittle-claim");

        await GrowAsync("brittle-claim");

        var failed = await EventAsync("brittle-claim", "VolumeResizeFailed");
        Assert.Equal($"resize volume \"{bound.StringAt("spec", "volumeName")}\" by resizer \"brittle.csi.example.com\" failed: rpc error: code = OutOfRange desc = quota exceeded", failed.StringAt("message"));
        Assert.Equal("external-resizer brittle.csi.example.com", failed.StringAt("source", "component"));
        Assert.Equal("Resizing", (await EventAsync("brittle-claim", "Resizing")).StringAt("reason"));
        Assert.Equal("1Gi", Store.Get(StorageKinds.PersistentVolumeClaims, "default", "brittle-claim")!.StringAt("status", "capacity", "storage"));
    }

    private IEnumerable<JsonObject> EventsOf(string claim) =>
        Store.List(CoreKinds.Events, "default").Items.Select(e => e.ToJson())
            .Where(e => e.StringAt("involvedObject", "kind") == "PersistentVolumeClaim" && e.StringAt("involvedObject", "name") == claim);

    private Task<JsonObject> EventAsync(string claim, string reason) =>
        Eventually.ReturnsAsync(() => EventsOf(claim).FirstOrDefault(e => e.StringAt("reason") == reason), $"{reason} event about {claim}");

    private Task<JsonObject> BoundAsync(string name) =>
        Eventually.ReturnsAsync(() => Store.Get(StorageKinds.PersistentVolumeClaims, "default", name) is { } c && c.StringAt("status", "phase") == "Bound" ? c : null, $"claim {name} bound");

    private async Task GrowAsync(string name)
    {
        var (status, body) = await Api.PatchAsync($"/api/v1/namespaces/default/persistentvolumeclaims/{name}", """{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}""", "application/merge-patch+json");
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    private async Task CreateDriverAsync(string name, JsonObject annotations)
    {
        var (status, body) = await Api.PostAsync("/apis/storage.k8s.io/v1/csidrivers", new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1", ["kind"] = "CSIDriver",
            ["metadata"] = new JsonObject { ["name"] = name, ["annotations"] = annotations },
            ["spec"] = new JsonObject { ["attachRequired"] = false },
        });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private async Task CreateClassAsync(string name, string provisioner, string binding = "Immediate")
    {
        var (status, body) = await Api.PostAsync("/apis/storage.k8s.io/v1/storageclasses", new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1", ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["provisioner"] = provisioner, ["volumeBindingMode"] = binding, ["allowVolumeExpansion"] = true,
        });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }

    private async Task CreateClaimAsync(string name, string storageClass)
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/persistentvolumeclaims", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
                ["storageClassName"] = storageClass,
            },
        });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
    }
}
