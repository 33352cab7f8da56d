using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Deletion;

/// <summary>
/// Owners the garbage collector never saw, looked up live as pkg/controller/garbagecollector does for
/// its virtual nodes (attemptToDeleteItem, classifyReferences, isDangling): absent or of another uid
/// is gone; a kind the server does not serve cannot be looked up and leaves the dependent alone.
/// </summary>
public sealed class AbsentOwnerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private static JsonObject Reference(string name, string uid, string apiVersion = "v1", string kind = "ConfigMap", bool block = false) => new()
    {
        ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = name, ["uid"] = uid, ["blockOwnerDeletion"] = block,
    };

    private async Task<JsonNode> CreateAsync(string name, params JsonObject[] owners)
    {
        var meta = new JsonObject { ["name"] = name };
        if (owners.Length > 0)
        {
            meta["ownerReferences"] = new JsonArray([.. owners]);
        }
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = meta });
        Assert.Equal(HttpStatusCode.Created, status);
        return body!;
    }

    private static string UidOf(JsonNode obj) => obj["metadata"]!["uid"]!.GetValue<string>();

    private JsonObject? Get(string name) => fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "default", name);

    [Fact]
    public async Task ADependentWhoseOwnerNeverExistedIsCollected()
    {
        await CreateAsync("never-owned", Reference("never-there", Guid.NewGuid().ToString()));

        await Eventually.IsTrueAsync(() => Get("never-owned") is null, "dependent of an absent owner collected");
    }

    [Fact]
    public async Task AnOwnerOfTheSameNameWithAnotherUidIsNoOwner()
    {
        await CreateAsync("namesake");

        await CreateAsync("wrong-uid", Reference("namesake", Guid.NewGuid().ToString()));

        await Eventually.IsTrueAsync(() => Get("wrong-uid") is null, "dependent of a namesake collected");
        Assert.NotNull(Get("namesake"));
    }

    [Fact]
    public async Task ADependentWithOneLiveOwnerKeepsLivingAndLosesTheAbsentOne()
    {
        var owner = await CreateAsync("live-owner");
        var ghost = Guid.NewGuid().ToString();

        await CreateAsync("half-owned", Reference("live-owner", UidOf(owner)), Reference("ghost-owner", ghost));

        var kept = await Eventually.ReturnsAsync(() => Get("half-owned") is { } d && d.ObjectsAt("metadata", "ownerReferences").Count() == 1 ? d : null, "absent reference removed");
        Assert.Equal(UidOf(owner), kept.ObjectsAt("metadata", "ownerReferences").Single().StringAt("uid"));
    }

    [Fact]
    public async Task AnOwnerOfAKindTheServerDoesNotServeLeavesTheDependentAlone()
    {
        await CreateAsync("custom-owned", Reference("my-widget", Guid.NewGuid().ToString(), "example.com/v1", "Widget"));
        // Created after it, so once this one is collected the collector has looked at both.
        await CreateAsync("control", Reference("never-there", Guid.NewGuid().ToString()));

        await Eventually.IsTrueAsync(() => Get("control") is null, "the control dependent collected");
        Assert.NotNull(Get("custom-owned"));
    }

    [Fact]
    public async Task ForegroundDeletionOnlyUnlinksADependentThatHasAnotherLiveOwner()
    {
        var doomed = await CreateAsync("fg-doomed-owner");
        var other = await CreateAsync("fg-other-owner");
        await CreateAsync("fg-shared", Reference("fg-doomed-owner", UidOf(doomed), block: true), Reference("fg-other-owner", UidOf(other)));

        var (status, _) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/fg-doomed-owner", new JsonObject { ["propagationPolicy"] = "Foreground" });

        Assert.Equal(HttpStatusCode.OK, status);
        await Eventually.IsTrueAsync(() => Get("fg-doomed-owner") is null, "foreground owner gone");
        var shared = Get("fg-shared");
        Assert.NotNull(shared);
        Assert.Null(shared.At("metadata", "deletionTimestamp"));
        Assert.Equal([UidOf(other)], shared.ObjectsAt("metadata", "ownerReferences").Select(r => r.StringAt("uid")));
    }

    [Fact]
    public async Task SeededSystemPodsHaveOwnersThatExist()
    {
        var pods = fixture.Emulator.Store.List(CoreKinds.Pods, "kube-system").Items.Select(p => p.ToJson()).ToList();
        var coreDns = pods.Where(p => p.Name().StartsWith("coredns-", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(coreDns);
        var replicaSet = fixture.Emulator.Store.Get(fixture.Emulator.Registry.Get("replicasets"), "kube-system", "coredns-668d6bf9bc");
        Assert.NotNull(replicaSet);
        Assert.All(coreDns, p => Assert.Equal(replicaSet.StringAt("metadata", "uid"), p.ObjectsAt("metadata", "ownerReferences").Single().StringAt("uid")));
        Assert.Equal("coredns", replicaSet.ObjectsAt("metadata", "ownerReferences").Single().StringAt("name"));
        await Task.Delay(300);
        Assert.Equal(coreDns.Count, fixture.Emulator.Store.List(CoreKinds.Pods, "kube-system").Items.Count(p => p.Name.StartsWith("coredns-", StringComparison.Ordinal)));
    }
}
