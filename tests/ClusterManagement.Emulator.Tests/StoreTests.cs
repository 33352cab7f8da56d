using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Tests;

public sealed class StoreTests
{
    private readonly ObjectStore _store = new(historyCapacity: 4);

    [Fact]
    public void CreateAssignsIdentityAndBumpsTheGlobalResourceVersion()
    {
        var a = _store.Create(CoreKinds.ConfigMaps, ConfigMap("a"));
        var b = _store.Create(CoreKinds.Secrets, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "b", ["namespace"] = "default" } });

        Assert.Equal("1", a.StringAt("metadata", "resourceVersion"));
        Assert.Equal("2", b.StringAt("metadata", "resourceVersion"));
        Assert.True(Guid.TryParse(a.StringAt("metadata", "uid"), out _));
        Assert.NotNull(a.StringAt("metadata", "creationTimestamp"));
        // The ConfigMap strategy keeps no generation; only kinds with a spec that controllers observe do.
        Assert.Null(a.At("metadata", "generation"));
        Assert.Equal("ConfigMap", a.StringAt("kind"));
        Assert.Equal(2, _store.ResourceVersion);
    }

    [Fact]
    public void CreatingTheSameNameTwiceIsAlreadyExists()
    {
        _store.Create(CoreKinds.ConfigMaps, ConfigMap("a"));

        var error = Assert.Throws<ApiException>(() => _store.Create(CoreKinds.ConfigMaps, ConfigMap("a")));

        Assert.Equal(409, error.Code);
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Equal("configmaps \"a\" already exists", error.Message);
    }

    [Fact]
    public void UpdateWithAStaleResourceVersionIsAConflict()
    {
        var created = _store.Create(CoreKinds.ConfigMaps, ConfigMap("a"));
        _store.Update(CoreKinds.ConfigMaps, (JsonObject)created.DeepClone());

        var error = Assert.Throws<ApiException>(() => _store.Update(CoreKinds.ConfigMaps, created));

        Assert.Equal(409, error.Code);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again", error.Message);
    }

    [Fact]
    public void GenerationGrowsOnlyWhenSomethingOutsideMetadataAndStatusChanges()
    {
        var deployments = ClusterManagement.Emulator.Apps.AppsKinds.Deployments;
        _store.Create(deployments, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "d", ["namespace"] = "default" }, ["spec"] = new JsonObject { ["replicas"] = 1 } });

        var labelled = _store.Mutate(deployments, "default", "d", d => { d.Metadata()["labels"] = new JsonObject { ["a"] = "b" }; return true; });
        var statusChanged = _store.Mutate(deployments, "default", "d", d => { d["status"] = new JsonObject { ["replicas"] = 1 }; return true; });
        var specChanged = _store.Mutate(deployments, "default", "d", d => { d.ObjectAt("spec")["replicas"] = 2; return true; });

        Assert.Equal(1, labelled.LongAt("metadata", "generation"));
        Assert.Equal(1, statusChanged.LongAt("metadata", "generation"));
        Assert.Equal(2, specChanged.LongAt("metadata", "generation"));
    }

    [Fact]
    public void KindsWithoutGenerationNeverGetOne()
    {
        _store.Create(CoreKinds.Nodes, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n", ["generation"] = 7 }, ["spec"] = new JsonObject() });

        var specChanged = _store.Mutate(CoreKinds.Nodes, null, "n", n => { n.ObjectAt("spec")["unschedulable"] = true; return true; });

        Assert.Null(specChanged.At("metadata", "generation"));
    }

    [Fact]
    public void RemovingTheLastFinalizerOfADeletedObjectRemovesIt()
    {
        var obj = ConfigMap("a");
        obj.Metadata()["finalizers"] = new JsonArray("example.com/hold");
        obj.Metadata()["deletionTimestamp"] = "2025-01-01T00:00:00Z";
        _store.Create(CoreKinds.ConfigMaps, obj);

        _store.Mutate(CoreKinds.ConfigMaps, "default", "a", o => o.Metadata().Remove("finalizers"));

        Assert.Null(_store.Find(CoreKinds.ConfigMaps, "default", "a"));
    }

    [Fact]
    public void ListIsInKeyOrderAcrossNamespaces()
    {
        _store.Create(CoreKinds.ConfigMaps, ConfigMap("b", "ns2"));
        _store.Create(CoreKinds.ConfigMaps, ConfigMap("z", "ns1"));
        _store.Create(CoreKinds.ConfigMaps, ConfigMap("a", "ns2"));

        Assert.Equal(["ns1/z", "ns2/a", "ns2/b"], _store.List(CoreKinds.ConfigMaps).Items.Select(o => o.Key));
        Assert.Equal(["a", "b"], _store.List(CoreKinds.ConfigMaps, "ns2").Items.Select(o => o.Name));
    }

    [Fact]
    public void WatchReplaysFromAResourceVersionAndExpiresBeyondTheHistory()
    {
        for (var i = 0; i < 6; i++)
        {
            _store.Create(CoreKinds.ConfigMaps, ConfigMap($"c{i}"));
        }

        using var recent = _store.Watch(CoreKinds.ConfigMaps, 4);
        Assert.True(recent.Events.TryRead(out var e5));
        Assert.Equal((WatchEventType.Added, 5L), (e5.Type, e5.Object.ResourceVersion));

        var error = Assert.Throws<ApiException>(() => _store.Watch(CoreKinds.ConfigMaps, 1));
        Assert.Equal(410, error.Code);
        Assert.Equal("Expired", error.Reason);
        Assert.Equal("too old resource version: 1 (3)", error.Message);
    }

    [Fact]
    public void DeleteIsPublishedWithTheLastState()
    {
        _store.Create(CoreKinds.ConfigMaps, ConfigMap("a"));
        using var watch = _store.Watch(CoreKinds.ConfigMaps);

        _store.Delete(CoreKinds.ConfigMaps, "default", "a");

        Assert.True(watch.Events.TryRead(out var deleted));
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.Equal("a", deleted.Object.Name);
        Assert.Equal(2, deleted.Object.ResourceVersion);
    }

    private static JsonObject ConfigMap(string name, string ns = "default") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = "v" },
    };
}
