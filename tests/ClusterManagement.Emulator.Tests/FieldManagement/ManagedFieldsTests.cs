using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.FieldManagement;

/// <summary>managedFields on every write and server-side apply's ownership, merges and conflicts, over HTTP as a client meets them.</summary>
public sealed class ManagedFieldsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Apply = "application/apply-patch+yaml";
    private const string Merge = "application/merge-patch+json";
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private ApiClient Api => fixture.Admin;

    private static JsonObject Deployment(string name, string image, int replicas, params JsonObject[] env) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "web",
                        ["image"] = image,
                        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }),
                        ["env"] = new JsonArray([.. env]),
                    }),
                },
            },
        },
    };

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject Entry(JsonNode obj, string manager, string? subresource = null) =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>()
            .Single(e => e.StringAt("manager") == manager && e.StringAt("subresource") == subresource);

    private static JsonNode? Fields(JsonNode obj, string manager, string? subresource = null) => Entry(obj, manager, subresource)["fieldsV1"];

    [Fact]
    public async Task ACreateIsAnUpdateByItsManagerWithEveryFieldItSetInFieldsV1()
    {
        var (status, created) = await Api.PostAsync($"{Deployments}?fieldManager=kubectl-create", Deployment("mf-create", "nginx:1.27", 1, Env("MODE", "fast")));
        Assert.Equal(HttpStatusCode.Created, status);
        var entry = Entry(created!, "kubectl-create");
        Assert.Equal("Update", entry.StringAt("operation"));
        Assert.Equal("apps/v1", entry.StringAt("apiVersion"));
        Assert.Equal("FieldsV1", entry.StringAt("fieldsType"));
        Assert.NotNull(Timestamps.Parse(entry.StringAt("time")));
        var fields = entry["fieldsV1"]!;
        // The zero Deployment already has spec, template and its metadata: only what the create added gets ".".
        Assert.Null(fields.At("f:spec", "."));
        Assert.NotNull(fields.At("f:metadata", "f:labels", "."));
        Assert.Equal("{}", fields.At("f:spec", "f:selector")!.ToJsonString());
        var web = fields.At("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}")!;
        Assert.NotNull(web["."]);
        Assert.NotNull(web.At("f:env", "k:{\"name\":\"MODE\"}", "f:value"));
        Assert.NotNull(web.At("f:ports", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}", "f:containerPort"));
        Assert.Null(fields["f:status"]);
    }

    [Fact]
    public async Task AClientWithoutFieldManagerIsNamedByItsUserAgent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps")
        {
            Content = new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mf-agent"},"data":{"a":"1"}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", "deploy-tool/2.1 (linux/amd64)");
        using var response = await Api.Http.SendAsync(request);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("""{"f:data":{".":{},"f:a":{}}}""", Fields(created, "deploy-tool")!.ToJsonString());
    }

    [Fact]
    public async Task UpdatesTakeTheFieldsTheyChangeAndSubresourcesRecordOnlyTheirOwn()
    {
        await Api.PostAsync($"{Deployments}?fieldManager=kubectl-create", Deployment("mf-update", "nginx:1.27", 1));
        var (_, patched) = await Api.PatchAsync($"{Deployments}/mf-update?fieldManager=kubectl-edit", """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}""", "application/strategic-merge-patch+json");
        var image = new[] { "f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image" };
        Assert.NotNull(Fields(patched!, "kubectl-edit")!.At(image));
        Assert.Null(Fields(patched!, "kubectl-create")!.At(image));
        Assert.NotNull(Fields(patched!, "kubectl-create")!.At("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:name"));

        var (scaleStatus, scaled) = await Api.PatchAsync($"{Deployments}/mf-update/scale?fieldManager=kubectl-scale", """{"spec":{"replicas":4}}""", Merge);
        Assert.True(scaleStatus == HttpStatusCode.OK, scaled?.ToJsonString());
        Assert.Equal(4, scaled!.At("spec", "replicas")!.GetValue<long>());
        var deployment = (await Api.GetAsync($"{Deployments}/mf-update")).Body!;
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", Fields(deployment, "kubectl-scale", "scale")!.ToJsonString());
        Assert.Null(Fields(deployment, "kubectl-create")!.At("f:spec", "f:replicas"));

        var (_, status) = await Api.PatchAsync($"{Deployments}/mf-update/status?fieldManager=status-writer", """{"spec":{"paused":true},"status":{"observedGeneration":7}}""", Merge);
        Assert.Equal("""{"f:status":{"f:observedGeneration":{}}}""", Fields(status!, "status-writer", "status")!.ToJsonString());
    }

    [Fact]
    public async Task ApplyConflictsWithAnotherManagersFieldAsTheApiServerWordsItAndForceTakesIt()
    {
        await Api.PatchAsync($"{Deployments}/mf-conflict?fieldManager=deployer", Deployment("mf-conflict", "nginx:1.27", 2).ToJsonString(), Apply);
        await Api.PatchAsync($"{Deployments}/mf-conflict/scale?fieldManager=kubectl-scale", """{"spec":{"replicas":5}}""", Merge);

        var (status, body) = await Api.PatchAsync($"{Deployments}/mf-conflict?fieldManager=deployer", Deployment("mf-conflict", "nginx:1.27", 2).ToJsonString(), Apply);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Conflict", body.StringAt("reason"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\" using apps/v1: .spec.replicas", body.StringAt("message"));
        var cause = Assert.Single(body!["details"]!["causes"]!.AsArray());
        Assert.Equal("FieldManagerConflict", cause.StringAt("reason"));
        Assert.Equal("conflict with \"kubectl-scale\" with subresource \"scale\" using apps/v1", cause.StringAt("message"));
        Assert.Equal(".spec.replicas", cause.StringAt("field"));
        Assert.Equal(5, (await Api.GetAsync($"{Deployments}/mf-conflict")).Body.LongAt("spec", "replicas"));

        // Applying the value the other manager set is no conflict: both own it.
        var (same, shared) = await Api.PatchAsync($"{Deployments}/mf-conflict?fieldManager=deployer", Deployment("mf-conflict", "nginx:1.27", 5).ToJsonString(), Apply);
        Assert.Equal(HttpStatusCode.OK, same);
        Assert.NotNull(Fields(shared!, "kubectl-scale", "scale")!.At("f:spec", "f:replicas"));

        var (forced, taken) = await Api.PatchAsync($"{Deployments}/mf-conflict?fieldManager=deployer&force=true", Deployment("mf-conflict", "nginx:1.27", 3).ToJsonString(), Apply);
        Assert.Equal(HttpStatusCode.OK, forced);
        Assert.Equal(3, taken.LongAt("spec", "replicas"));
        Assert.DoesNotContain(taken!["metadata"]!["managedFields"]!.AsArray(), e => e.StringAt("manager") == "kubectl-scale");
    }

    [Fact]
    public async Task ConflictsWithSeveralFieldsAreListedPerManager()
    {
        await Api.PostAsync($"{Deployments}?fieldManager=kubectl-create", Deployment("mf-many", "nginx:1.27", 1));
        var (status, body) = await Api.PatchAsync($"{Deployments}/mf-many?fieldManager=kubectl", Deployment("mf-many", "nginx:1.28", 2).ToJsonString(), Apply);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"kubectl-create\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image",
            body.StringAt("message"));
        Assert.Equal([".spec.replicas", ".spec.template.spec.containers[name=\"web\"].image"], body!["details"]!["causes"]!.AsArray().Select(c => c.StringAt("field")));
    }

    [Fact]
    public async Task ApplyMergesKeyedListsAndRemovesOnlyWhatTheApplierAloneOwned()
    {
        var path = $"{Deployments}/mf-merge?fieldManager=deployer";
        await Api.PatchAsync(path, Deployment("mf-merge", "nginx:1.27", 1, Env("A", "1"), Env("B", "2")).ToJsonString(), Apply);
        // Someone else adds a container and an env var of their own.
        await Api.PatchAsync($"{Deployments}/mf-merge?fieldManager=kubectl-edit",
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"C","value":"3"}]},{"name":"sidecar","image":"busybox:1.36"}]}}}}""",
            "application/strategic-merge-patch+json");

        var (status, applied) = await Api.PatchAsync(path, Deployment("mf-merge", "nginx:1.28", 1, Env("A", "1")).ToJsonString(), Apply);
        Assert.Equal(HttpStatusCode.OK, status);
        var containers = applied!.At("spec", "template", "spec", "containers")!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => c.StringAt("name")));
        Assert.Equal("nginx:1.28", containers[0].StringAt("image"));
        Assert.Equal(["A", "C"], containers[0]!["env"]!.AsArray().Select(e => e.StringAt("name")));
        Assert.Equal("busybox:1.36", containers[1].StringAt("image"));
    }

    [Fact]
    public async Task AnApplierOwnsWhatItAppliedWithoutDotsForMapsAndAnApplyThatChangesNothingWritesNothing()
    {
        const string path = "/api/v1/namespaces/default/configmaps/mf-noop?fieldManager=deployer";
        const string config = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mf-noop","labels":{"app":"x"}},"data":{"a":"1"}}""";
        var (created, first) = await Api.PatchAsync(path, config, Apply);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("Apply", Entry(first!, "deployer").StringAt("operation"));
        Assert.Equal("""{"f:data":{"f:a":{}},"f:metadata":{"f:labels":{"f:app":{}}}}""", Fields(first!, "deployer")!.ToJsonString());
        var (_, second) = await Api.PatchAsync(path, config, Apply);
        Assert.Equal(first.StringAt("metadata", "resourceVersion"), second.StringAt("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task UpdatesOfAnUntrackedObjectRecordNothingAndItsFirstApplyMeetsBeforeFirstApply()
    {
        var seeded = Deployment("mf-seeded", "nginx:1.27", 1);
        seeded.Metadata()["namespace"] = "default";
        fixture.Emulator.Store.Create(AppsKinds.Deployments, seeded);
        // Nobody tracks an object without managedFields until it is first applied.
        var (_, edited) = await Api.PatchAsync($"{Deployments}/mf-seeded?fieldManager=kubectl-edit", """{"metadata":{"labels":{"tier":"front"}}}""", Merge);
        Assert.Null(edited.At("metadata", "managedFields"));
        var (status, body) = await Api.PatchAsync($"{Deployments}/mf-seeded?fieldManager=deployer", Deployment("mf-seeded", "nginx:1.27", 3).ToJsonString(), Apply);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas", body.StringAt("message"));
    }

    [Fact]
    public async Task PatchOptionsAreRefusedAsTheApiServerRefusesThem()
    {
        var (missing, body) = await Api.PatchAsync($"{Deployments}/mf-options", Deployment("mf-options", "nginx:1.27", 1).ToJsonString(), Apply);
        Assert.Equal((HttpStatusCode)422, missing);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", body.StringAt("message"));

        await Api.PostAsync(Deployments, Deployment("mf-options", "nginx:1.27", 1));
        var (forced, forbidden) = await Api.PatchAsync($"{Deployments}/mf-options?force=true", """{"spec":{"replicas":2}}""", Merge);
        Assert.Equal((HttpStatusCode)422, forced);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", forbidden.StringAt("message"));

        var (managed, _) = await Api.PatchAsync($"{Deployments}/mf-options?fieldManager=deployer", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"mf-options","managedFields":[]}}""", Apply);
        Assert.Equal(HttpStatusCode.BadRequest, managed);
    }
}
