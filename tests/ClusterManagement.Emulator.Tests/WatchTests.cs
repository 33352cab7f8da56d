using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

public sealed class WatchTests : IAsyncLifetime
{
    private KubeEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, WatchHistorySize = 50, SeedPods = false, HeartbeatSeconds = 3600 });
        _http = _emulator.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task WatchFromAResourceVersionStreamsLaterChanges()
    {
        var from = _emulator.Store.ResourceVersion;
        await using var watch = await WatchReader.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={from}");

        Label("worker-1", "a", "1");
        _emulator.Store.Delete(CoreKinds.Nodes, null, "worker-2");

        var modified = await watch.NextAsync();
        var deleted = await watch.NextAsync();
        Assert.Equal(("MODIFIED", "worker-1"), (Type(modified), Name(modified)));
        Assert.Equal(("DELETED", "worker-2"), (Type(deleted), Name(deleted)));
    }

    [Fact]
    public async Task OpenWatchesCountsAWatchUntilItsClientLeaves()
    {
        var before = _emulator.Watches.Count;
        var from = _emulator.Store.ResourceVersion;
        var watch = await WatchReader.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={from}");
        Label("worker-1", "counted", "1");
        await watch.NextAsync();
        Assert.Equal(before + 1, _emulator.Watches.Count);

        await watch.DisposeAsync();

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_emulator.Watches.Count != before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(before, _emulator.Watches.Count);
    }

    [Fact]
    public async Task WatchWithoutResourceVersionStartsWithTheCurrentState()
    {
        await using var watch = await WatchReader.OpenAsync(_http, "/api/v1/nodes?watch=1&fieldSelector=metadata.name%3Dworker-1");

        var added = await watch.NextAsync();
        Label("worker-2", "b", "2");
        Label("worker-1", "b", "1");
        var modified = await watch.NextAsync();

        Assert.Equal(("ADDED", "worker-1"), (Type(added), Name(added)));
        Assert.Equal(("MODIFIED", "worker-1"), (Type(modified), Name(modified)));
    }

    [Fact]
    public async Task LabelSelectorTurnsLeavingIntoDeleted()
    {
        var from = _emulator.Store.ResourceVersion;
        await using var watch = await WatchReader.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={from}&labelSelector=pool%3Dblue");

        Label("worker-1", "pool", "blue");
        Label("worker-1", "pool", "green");

        Assert.Equal("ADDED", Type(await watch.NextAsync()));
        Assert.Equal("DELETED", Type(await watch.NextAsync()));
    }

    [Fact]
    public async Task TooOldResourceVersionIsAnExpiredErrorEvent()
    {
        for (var i = 0; i < 60; i++)
        {
            Label("worker-1", "churn", i.ToString());
        }
        await using var watch = await WatchReader.OpenAsync(_http, "/api/v1/nodes?watch=true&resourceVersion=1");

        var error = await watch.NextAsync();

        Assert.Equal("ERROR", Type(error));
        Assert.Equal(410, error!["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task CompactionEndsOpenWatchesAndExpiresTheirResourceVersion()
    {
        var from = _emulator.Store.ResourceVersion;
        await using var open = await WatchReader.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={from}");
        Label("worker-1", "before", "compaction");
        Assert.Equal("MODIFIED", Type(await open.NextAsync()));

        Assert.Equal(1, _emulator.Store.Compact());
        Assert.Null(await open.NextAsync());
        await using var resumed = await WatchReader.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={from}");
        var error = await resumed.NextAsync();

        Assert.Equal("ERROR", Type(error));
        Assert.Equal(410, error!["object"]!["code"]!.GetValue<int>());
        Assert.StartsWith($"too old resource version: {from} (", error["object"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, _emulator.Store.ExpiredWatches);
    }

    [Fact]
    public async Task BookmarksAndTimeout()
    {
        _emulator.Settings.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        var from = _emulator.Store.ResourceVersion;
        // The server's timeout leaves room for a starved thread pool on a loaded CI machine: with one
        // second, the bookmark's 200 ms delay could outlast the watch and the stream ended empty.
        await using var watch = await WatchReader.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={from}&allowWatchBookmarks=true&timeoutSeconds=4");

        var bookmark = await watch.NextAsync();

        Assert.Equal("BOOKMARK", Type(bookmark));
        // A bookmark carries the store's current version, which node Leases renewing in the background
        // may already have moved past the one the watch started from.
        Assert.InRange(long.Parse(bookmark!["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), (long)from, long.MaxValue);
        var drained = 0;
        while (await watch.NextAsync(20) is { } next)
        {
            Assert.Equal("BOOKMARK", Type(next));
            Assert.True(++drained < 1000, "the server never closed the watch at timeoutSeconds");
        }
    }

    [Fact]
    public async Task TableWatchSendsColumnsOnlyFirst()
    {
        await using var watch = await WatchReader.OpenAsync(_http, "/api/v1/nodes?watch=true", ApiClient.TableAccept);

        var first = await watch.NextAsync();
        var second = await watch.NextAsync();

        Assert.Equal("Table", first!["object"]!["kind"]!.GetValue<string>());
        Assert.Equal(10, first["object"]!["columnDefinitions"]!.AsArray().Count);
        Assert.Empty(second!["object"]!["columnDefinitions"]!.AsArray());
        Assert.Equal("worker-1", second["object"]!["rows"]![0]!["cells"]![0]!.GetValue<string>());
    }

    private void Label(string node, string key, string value) =>
        _emulator.Store.Mutate(CoreKinds.Nodes, null, node, n =>
        {
            n.Metadata().ObjectAt("labels")[key] = value;
            return true;
        });

    private static string Type(JsonNode? e) => e!["type"]!.GetValue<string>();

    private static string Name(JsonNode? e) => e!["object"]!["metadata"]!["name"]!.GetValue<string>();
}
