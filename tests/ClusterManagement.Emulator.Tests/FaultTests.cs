using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

public sealed class FaultTests : IAsyncLifetime
{
    private KubeEmulator _emulator = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false });
        _api = new ApiClient(_emulator.CreateClient());
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task StatusFaultAnswersTheNextNMatchingRequests()
    {
        _emulator.Faults.Add(new FaultRule { Method = "GET", Path = "/api/v1/nodes/*", StatusCode = 500, Times = 2 });

        var first = await _api.GetAsync("/api/v1/nodes/worker-1");
        var second = await _api.GetAsync("/api/v1/nodes/worker-1");
        var third = await _api.GetAsync("/api/v1/nodes/worker-1");
        var list = await _api.GetAsync("/api/v1/nodes");

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal("InternalError", first.Body!["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.InternalServerError, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(HttpStatusCode.OK, list.Status);
    }

    [Fact]
    public async Task ARuleCountsItsHitsAndKeepsThemOnceSpent()
    {
        var id = _emulator.Faults.Add(new FaultRule { Method = "PATCH", Path = "/api/v1/nodes/*", StatusCode = 409, Times = 2 });

        await _api.GetAsync("/api/v1/nodes/worker-1");
        var first = await _api.PatchAsync("/api/v1/nodes/worker-1", "{}", "application/merge-patch+json");
        var second = await _api.PatchAsync("/api/v1/nodes/worker-1", "{}", "application/merge-patch+json");
        var third = await _api.PatchAsync("/api/v1/nodes/worker-1", "{}", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.Conflict, first.Status);
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Empty(_emulator.Faults.Rules);
        Assert.Equal((2, 0, false), _emulator.Faults.Find(id) is { } spent ? (spent.Hits, spent.Remaining, spent.Active) : default);
    }

    [Fact]
    public async Task ARuleWithADurationEndsByItself()
    {
        var id = _emulator.Faults.Add(new FaultRule { Path = "*", Abort = true, DurationMilliseconds = 600 });

        await Assert.ThrowsAsync<HttpRequestException>(() => _api.GetAsync("/api/v1/nodes"));
        await Task.Delay(800);

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/nodes")).Status);
        Assert.Equal((1, false), _emulator.Faults.Find(id) is { } expired ? (expired.Hits, expired.Active) : default);
    }

    [Fact]
    public async Task AbortDropsTheConnection()
    {
        _emulator.Faults.Add(new FaultRule { Path = "/api/v1/nodes", Abort = true, Times = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => _api.GetAsync("/api/v1/nodes"));
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/nodes")).Status);
    }

    [Fact]
    public async Task HangHoldsTheRequestUntilTheClientGivesUp()
    {
        _emulator.Faults.Add(new FaultRule { Path = "/api/v1/nodes", Hang = true, Times = 1 });
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        using var http = _emulator.CreateClient();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync("/api/v1/nodes", giveUp.Token));
        Assert.Empty(_emulator.Faults.Rules);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/v1/nodes")).Status);
    }

    [Fact]
    public async Task LatencyDelaysButServes()
    {
        var id = _emulator.Faults.Add(new FaultRule { Path = "/api/v1/namespaces", LatencyMilliseconds = 300 });
        var started = DateTime.UtcNow;

        var (status, _) = await _api.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(280));
        Assert.True(_emulator.Faults.Remove(id));
    }

    [Fact]
    public async Task ControlApiAddsListsAndClearsFaultsAndShowsTheRequestLog()
    {
        using var http = _emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = new("Bearer", _emulator.Credentials.ControlToken);
        using var control = new ApiClient(http);
        var since = _emulator.Requests.LastSequence;

        var (added, _) = await control.PostAsync("/_emulator/faults", JsonNode.Parse("""{"method":"PATCH","path":"/api/v1/nodes/*","statusCode":429,"times":1}""")!);
        var (_, rules) = await control.GetAsync("/_emulator/faults");
        var (patched, refusal) = await _api.PatchAsync("/api/v1/nodes/worker-1", """{"metadata":{"labels":{"a":"b"}}}""", "application/merge-patch+json");
        var (_, log) = await control.GetAsync($"/_emulator/requests?since={since}");
        await control.SendAsync(HttpMethod.Delete, "/_emulator/faults", null, null);

        Assert.Equal(HttpStatusCode.Created, added);
        Assert.Single(rules!.AsArray());
        Assert.Equal(HttpStatusCode.TooManyRequests, patched);
        Assert.Equal("TooManyRequests", refusal!["reason"]!.GetValue<string>());
        var entry = log!.AsArray().Single()!;
        Assert.Equal(("PATCH", "/api/v1/nodes/worker-1", 429), (entry["method"]!.GetValue<string>(), entry["path"]!.GetValue<string>(), entry["status"]!.GetValue<int>()));
        Assert.Equal("""{"metadata":{"labels":{"a":"b"}}}""", entry["body"]!.GetValue<string>());
        Assert.Empty(_emulator.Faults.Rules);
    }
}
