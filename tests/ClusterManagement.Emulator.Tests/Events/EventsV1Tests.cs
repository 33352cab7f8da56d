using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Events;

/// <summary>
/// events.k8s.io/v1 as a view of the stored core/v1 Events (pkg/apis/events/v1/conversion.go): one object in both
/// APIs, its fields renamed, field selectors under the events.k8s.io labels, watches converted too.
/// </summary>
public sealed class EventsV1Tests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Core = "/api/v1/namespaces/default/events";
    private const string V1 = "/apis/events.k8s.io/v1/namespaces/default/events";

    private async Task<JsonNode> RecordAsync(string name, string reason, string involvedName, JsonObject? extra = null)
    {
        var ev = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["involvedObject"] = new JsonObject { ["kind"] = "Node", ["apiVersion"] = "v1", ["name"] = involvedName, ["uid"] = $"uid-{involvedName}", ["fieldPath"] = "spec" },
            ["reason"] = reason,
            ["message"] = $"{reason} happened",
            ["type"] = "Warning",
            ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = involvedName },
            ["firstTimestamp"] = "2026-01-02T03:04:05Z",
            ["lastTimestamp"] = "2026-01-02T03:14:05Z",
            ["count"] = 3,
            ["reportingComponent"] = "kubelet",
            ["reportingInstance"] = involvedName,
        };
        foreach (var (key, value) in extra ?? [])
        {
            ev[key] = value?.DeepClone();
        }
        var (status, body) = await fixture.Admin.PostAsync(Core, ev);
        Assert.Equal(HttpStatusCode.Created, status);
        return body!;
    }

    [Fact]
    public async Task ACoreEventReadsAsEventsV1WithTheConvertedFieldsAndTheSameIdentity()
    {
        var core = await RecordAsync("conv-1", "Rebooted", "worker-1");

        var (status, v1) = await fixture.Admin.GetAsync($"{V1}/conv-1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("events.k8s.io/v1", "Event"), (v1.StringAt("apiVersion"), v1.StringAt("kind")));
        Assert.Equal((core.StringAt("metadata", "uid"), core.StringAt("metadata", "resourceVersion")), (v1.StringAt("metadata", "uid"), v1.StringAt("metadata", "resourceVersion")));
        Assert.Equal(("Node", "worker-1", "spec"), (v1.StringAt("regarding", "kind"), v1.StringAt("regarding", "name"), v1.StringAt("regarding", "fieldPath")));
        Assert.Equal(("Rebooted happened", "kubelet", "worker-1"), (v1.StringAt("note"), v1.StringAt("reportingController"), v1.StringAt("reportingInstance")));
        Assert.Equal(("2026-01-02T03:04:05Z", "2026-01-02T03:14:05Z", 3L), (v1.StringAt("deprecatedFirstTimestamp"), v1.StringAt("deprecatedLastTimestamp"), v1.LongAt("deprecatedCount")));
        Assert.Equal("""{"component":"kubelet","host":"worker-1"}""", v1!["deprecatedSource"]!.ToJsonString());
        // The Go struct's zero MicroTime is written as null; the core names do not appear.
        Assert.True(v1.AsObject().ContainsKey("eventTime"));
        Assert.Null(v1["eventTime"]);
        foreach (var coreOnly in new[] { "involvedObject", "message", "source", "firstTimestamp", "lastTimestamp", "count", "reportingComponent" })
        {
            Assert.False(v1.AsObject().ContainsKey(coreOnly), coreOnly);
        }
    }

    [Fact]
    public async Task ASeriesAndAnEventTimeComeThroughAsTheSchedulerWroteThem()
    {
        await RecordAsync("conv-series", "FailedScheduling", "worker-2", new JsonObject
        {
            ["eventTime"] = "2026-01-02T03:04:05.123456Z",
            ["series"] = new JsonObject { ["count"] = 7, ["lastObservedTime"] = "2026-01-02T03:20:00.000001Z" },
            ["action"] = "Scheduling",
            ["count"] = 0,
        });

        var (_, v1) = await fixture.Admin.GetAsync($"{V1}/conv-series");

        Assert.Equal(("2026-01-02T03:04:05.123456Z", 7L, "Scheduling"), (v1.StringAt("eventTime"), v1.LongAt("series", "count"), v1.StringAt("action")));
        Assert.False(v1!.AsObject().ContainsKey("deprecatedCount"));
    }

    [Fact]
    public async Task ListsTakeTheEventsV1FieldLabelsAndPage()
    {
        await RecordAsync("sel-a", "SelA", "sel-node-a");
        await RecordAsync("sel-b", "SelB", "sel-node-b");

        var (status, list) = await fixture.Admin.GetAsync($"{V1}?fieldSelector=regarding.uid%3Duid-sel-node-a");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("EventList", "events.k8s.io/v1"), (list.StringAt("kind"), list.StringAt("apiVersion")));
        Assert.Equal(["sel-a"], list!["items"]!.AsArray().Select(i => i.StringAt("metadata", "name")));
        Assert.Equal("SelA happened", list["items"]![0].StringAt("note"));

        (_, list) = await fixture.Admin.GetAsync($"{V1}?fieldSelector=reportingController%3Dkubelet,reason%3DSelB");
        Assert.Equal(["sel-b"], list!["items"]!.AsArray().Select(i => i.StringAt("metadata", "name")));

        // The core/v1 labels are not events.k8s.io's, as the real server's field label conversion refuses them.
        (status, var refused) = await fixture.Admin.GetAsync($"{V1}?fieldSelector=involvedObject.uid%3Duid-sel-node-a");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("field label not supported: involvedObject.uid", refused.StringAt("message"));

        var total = fixture.Emulator.Store.List(CoreKinds.Events).Items.Count;
        var names = new List<string>();
        string? next = null;
        do
        {
            (_, var page) = await fixture.Admin.GetAsync($"/apis/events.k8s.io/v1/events?limit=2{(next is null ? "" : $"&continue={Uri.EscapeDataString(next)}")}");
            names.AddRange(page!["items"]!.AsArray().Select(i => i.StringAt("metadata", "name")!));
            next = page.StringAt("metadata", "continue");
        }
        while (next is not null);
        Assert.True(names.Count >= total, $"{names.Count} of {total}");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public async Task AWatchStreamsTheConvertedEventsAndRefusesWrites()
    {
        var from = fixture.Emulator.Store.ResourceVersion;
        await using var watch = await WatchReader.OpenAsync(fixture.Emulator.CreateClient(), $"{V1}?watch=true&resourceVersion={from}&fieldSelector=regarding.name%3Dwatched-node");

        await RecordAsync("watch-other", "Other", "other-node");
        await RecordAsync("watch-1", "Watched", "watched-node");

        var added = await watch.NextAsync();
        Assert.Equal(("ADDED", "watch-1", "events.k8s.io/v1", "Watched happened"),
            (added.StringAt("type"), added.StringAt("object", "metadata", "name"), added.StringAt("object", "apiVersion"), added.StringAt("object", "note")));

        var (status, _) = await fixture.Admin.PostAsync(V1, JsonNode.Parse("""{"metadata":{"name":"w"},"eventTime":"2026-01-02T03:04:05.000000Z","reportingController":"x","reportingInstance":"y","action":"A","reason":"B","type":"Normal","regarding":{"kind":"Node","name":"n"}}""")!);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
    }

    [Fact]
    public async Task DiscoveryListsTheGroupWithItsVerbs()
    {
        var (_, resources) = await fixture.Admin.GetAsync("/apis/events.k8s.io/v1");
        var events = resources!["resources"]!.AsArray().Single(r => r.StringAt("name") == "events");
        Assert.Equal(["get", "list", "watch"], events!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(events["namespaced"]!.GetValue<bool>());
    }
}
