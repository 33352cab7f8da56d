using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>Writes that change nothing after defaulting are not written, as etcd3's GuaranteedUpdate skips identical bytes.</summary>
public sealed class NoOpUpdateTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task ReappliedWorkloadWhoseListsLostTheirDefaultsKeepsItsResourceVersion()
    {
        const string manifest = """
            {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"noop","namespace":"default"},
             "spec":{"selector":{"matchLabels":{"app":"noop"}},"template":{"metadata":{"labels":{"app":"noop"}},
             "spec":{"containers":[{"name":"main","image":"agent:1"}]}}}}
            """;
        const string path = "/apis/apps/v1/namespaces/default/daemonsets/noop?fieldManager=test&force=true";
        var (created, first) = await fixture.Admin.PatchAsync(path, manifest, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Created, created);
        // The controller writes status meanwhile; wait until it has, then compare with a settled object.
        // Settled means every pod ready and available too: each pod turning ready writes status again.
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(fixture.Emulator.Registry.Find("apps", "v1", "daemonsets")!, "default", "noop") is { } ds
            && ds.LongAt("status", "observedGeneration") == 1
            && ds.LongAt("status", "desiredNumberScheduled") is { } desired
            && ds.LongAt("status", "numberReady") == desired
            && ds.LongAt("status", "numberAvailable") == desired
            && ds.LongAt("status", "updatedNumberScheduled") == desired, "status settled");
        var (_, settled) = await fixture.Admin.GetAsync("/apis/apps/v1/namespaces/default/daemonsets/noop");

        var (_, again) = await fixture.Admin.PatchAsync(path, manifest, "application/apply-patch+yaml");
        var (_, put) = await fixture.Admin.PutAsync("/apis/apps/v1/namespaces/default/daemonsets/noop", settled!);

        Assert.Equal("IfNotPresent", first!["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
        Assert.Equal(settled!["metadata"]!["resourceVersion"]!.GetValue<string>(), again!["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(settled["metadata"]!["resourceVersion"]!.GetValue<string>(), put!["metadata"]!["resourceVersion"]!.GetValue<string>());
        var changed = manifest.Replace("agent:1", "agent:2");
        var (_, updated) = await fixture.Admin.PatchAsync(path, changed, "application/apply-patch+yaml");
        Assert.NotEqual(settled["metadata"]!["resourceVersion"]!.GetValue<string>(), updated!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
