using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Lists;

/// <summary>
/// Paged lists as the apiserver's etcd3 store serves them: every page reads the first page's
/// revision, and a token whose revision was compacted is 410 Expired with a token for the rest at
/// the latest revision. Each test has its own emulator, since compaction affects every client.
/// </summary>
public sealed class PagedListTests
{
    [Fact]
    public async Task LaterPagesShowTheFirstPagesRevision()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false });
        using var api = new ApiClient(emulator.CreateClient());
        await api.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "paging" } });
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/namespaces/paging/configmaps", ConfigMap(name))).Status);
        }

        var (_, first) = await api.GetAsync("/api/v1/namespaces/paging/configmaps?limit=2");
        var token = first!["metadata"]!["continue"]!.GetValue<string>();
        await api.DeleteAsync("/api/v1/namespaces/paging/configmaps/c");
        await api.PostAsync("/api/v1/namespaces/paging/configmaps", ConfigMap("e"));
        var changed = ConfigMap("d");
        changed["data"] = new JsonObject { ["k"] = "changed" };
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsync("/api/v1/namespaces/paging/configmaps/d", changed)).Status);
        var (status, second) = await api.GetAsync($"/api/v1/namespaces/paging/configmaps?limit=2&continue={token}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["c", "d"], Names(second!));
        Assert.Equal("v", second!["items"]![1]!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(first["metadata"]!["resourceVersion"]!.GetValue<string>(), second["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Null(second["metadata"]!["continue"]);
        var (_, now) = await api.GetAsync("/api/v1/namespaces/paging/configmaps");
        Assert.Equal(["a", "b", "d", "e"], Names(now!));
    }

    [Fact]
    public async Task CompactedContinueTokenIsGoneWithATokenForTheRestAtTheLatestRevision()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 4, SeedPods = false });
        using var api = new ApiClient(emulator.CreateClient());
        var (_, first) = await api.GetAsync("/api/v1/nodes?limit=2");
        Assert.Equal(["cp-1", "worker-1"], Names(first!));
        var token = first!["metadata"]!["continue"]!.GetValue<string>();
        await api.DeleteAsync("/api/v1/nodes/worker-3");
        emulator.Store.Compact();

        var (status, gone) = await api.GetAsync($"/api/v1/nodes?limit=2&continue={token}");

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("Expired", gone!["reason"]!.GetValue<string>());
        Assert.Equal(410, gone["code"]!.GetValue<int>());
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response",
            gone["message"]!.GetValue<string>());
        Assert.Null(gone["metadata"]!["remainingItemCount"]);
        var fresh = gone["metadata"]!["continue"]!.GetValue<string>();
        var (restStatus, rest) = await api.GetAsync($"/api/v1/nodes?limit=2&continue={fresh}");
        Assert.Equal(HttpStatusCode.OK, restStatus);
        // The rest at the latest revision: worker-3's deletion shows, as the real message warns.
        Assert.Equal(["worker-2", "worker-4"], Names(rest!));
        Assert.Equal(emulator.Store.ResourceVersion.ToString(), rest!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    private static string[] Names(JsonNode list) =>
        [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];

    private static JsonObject ConfigMap(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = "v" },
    };
}
