using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Deletion;

/// <summary>Garbage collection, propagation policies and namespace termination as kube-controller-manager and the API server do them.</summary>
public sealed class DeletionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private async Task<JsonNode> CreateConfigMapAsync(string ns, string name, JsonNode? owner = null, bool block = false, string? finalizer = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (owner is not null)
        {
            meta["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
                ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(), ["blockOwnerDeletion"] = block,
            });
        }
        if (finalizer is not null)
        {
            meta["finalizers"] = new JsonArray(finalizer);
        }
        var (status, body) = await Api.PostAsync($"/api/v1/namespaces/{ns}/configmaps", new JsonObject { ["metadata"] = meta });
        Assert.Equal(HttpStatusCode.Created, status);
        return body!;
    }

    private JsonObject? Get(string ns, string name) => fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, ns, name);

    private Task<(HttpStatusCode, JsonNode?)> RemoveFinalizersAsync(string ns, string name) =>
        Api.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/{name}", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");

    [Fact]
    public async Task DependentsGoWhenAnOwnerWhoseFinalizerClearsLaterFinallyGoes()
    {
        var owner = await CreateConfigMapAsync("default", "late-owner", finalizer: "example.com/hold");
        await CreateConfigMapAsync("default", "late-dependent", owner);

        var (deleted, _) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/late-owner");
        Assert.Equal(HttpStatusCode.OK, deleted);
        await Task.Delay(300);
        Assert.NotNull(Get("default", "late-dependent"));

        await RemoveFinalizersAsync("default", "late-owner");
        await Eventually.IsTrueAsync(() => Get("default", "late-owner") is null && Get("default", "late-dependent") is null, "owner and dependent gone");
    }

    [Fact]
    public async Task ForegroundDeletionWaitsForBlockingDependents()
    {
        var owner = await CreateConfigMapAsync("default", "fg-owner");
        await CreateConfigMapAsync("default", "fg-blocking", owner, block: true, finalizer: "example.com/hold");
        await CreateConfigMapAsync("default", "fg-other", owner);

        var (status, body) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/fg-owner", new JsonObject { ["propagationPolicy"] = "Foreground" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(body!["metadata"]!["deletionTimestamp"]);
        Assert.Contains("foregroundDeletion", body["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        await Eventually.IsTrueAsync(() => Get("default", "fg-other") is null && Get("default", "fg-blocking")?.At("metadata", "deletionTimestamp") is not null, "dependents deleted");
        await Task.Delay(300);
        Assert.NotNull(Get("default", "fg-owner"));

        await RemoveFinalizersAsync("default", "fg-blocking");
        await Eventually.IsTrueAsync(() => Get("default", "fg-owner") is null, "owner gone after its blocking dependent");
    }

    [Fact]
    public async Task OrphanDeletionRemovesTheOwnerReferenceAndKeepsTheDependent()
    {
        var owner = await CreateConfigMapAsync("default", "orphan-owner");
        await CreateConfigMapAsync("default", "orphan-dependent", owner);

        var (status, _) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/orphan-owner", new JsonObject { ["propagationPolicy"] = "Orphan" });

        Assert.Equal(HttpStatusCode.OK, status);
        await Eventually.IsTrueAsync(() => Get("default", "orphan-owner") is null, "owner gone");
        await Task.Delay(300);
        var dependent = Get("default", "orphan-dependent");
        Assert.NotNull(dependent);
        Assert.Null(dependent.At("metadata", "ownerReferences"));
    }

    [Fact]
    public async Task BackgroundDeletionCollectsDependents()
    {
        var owner = await CreateConfigMapAsync("default", "bg-owner");
        await CreateConfigMapAsync("default", "bg-dependent", owner);

        await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/bg-owner");

        await Eventually.IsTrueAsync(() => Get("default", "bg-dependent") is null, "dependent collected");
    }

    [Fact]
    public async Task NamespaceGoesThroughTerminatingAndRefusesNewContent()
    {
        await Api.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "doomed" } });
        await CreateConfigMapAsync("doomed", "held", finalizer: "example.com/hold");

        var (status, ns) = await Api.DeleteAsync("/api/v1/namespaces/doomed");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Terminating", ns!["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(["kubernetes"], ns["spec"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        var (refused, error) = await Api.PostAsync("/api/v1/namespaces/doomed/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "late" } });
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal("configmaps \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated", error!["message"]!.GetValue<string>());
        Assert.Equal("NamespaceTerminating", error["details"]!["causes"]![0]!["reason"]!.GetValue<string>());

        var remaining = await Eventually.ReturnsAsync(() =>
            fixture.Emulator.Store.Get(CoreKinds.Namespaces, null, "doomed")?.Condition("NamespaceContentRemaining") is { } c && c.StringAt("status") == "True" ? c : null,
            "content remaining reported");
        Assert.Equal("Some resources are remaining: configmaps has 1 resource instances", remaining.StringAt("message"));
        Assert.NotNull(Get("doomed", "held")!.At("metadata", "deletionTimestamp"));

        await RemoveFinalizersAsync("doomed", "held");
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(CoreKinds.Namespaces, null, "doomed") is null, "namespace gone");
        Assert.Null(Get("doomed", "held"));
    }
}
