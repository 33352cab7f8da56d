using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>
/// An emulator that stays still once seeded (heartbeats and node grace far beyond a test run), so that
/// the global resourceVersion proves a dry run committed nothing anywhere: any stored write, watch event
/// or controller reaction would move it.
/// </summary>
public sealed class QuietEmulatorFixture : IAsyncLifetime
{
    public KubeEmulator Emulator { get; private set; } = null!;

    public ApiClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SampleApp = true, HeartbeatSeconds = 3600, NodeGraceSeconds = 7200 });
        Admin = new ApiClient(Emulator.CreateClient());
    }

    /// <summary>The resourceVersion once the controllers have finished reacting to earlier writes (bounded).</summary>
    public async Task<long> SettledResourceVersionAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var last = Emulator.Store.ResourceVersion;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(1500);
            var now = Emulator.Store.ResourceVersion;
            if (now == last)
            {
                return now;
            }
            last = now;
        }
        throw new TimeoutException("the emulator kept writing for 20 s after the test's setup");
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>
/// dryRun=All on every write path, as the apiserver's DryRunnableStorage answers it: validated, admitted and
/// answered like the real write (generated name, uid, the new spec, generation), and nothing persisted,
/// no resourceVersion used up, no watch event, no controller woken.
/// </summary>
public sealed class DryRunTests(QuietEmulatorFixture fixture) : IClassFixture<QuietEmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private ObjectStore Store => fixture.Emulator.Store;

    private static JsonObject ConfigMap(string name, string value = "1") =>
        new()
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["dry"] = "run" } },
            ["data"] = new JsonObject { ["k"] = value },
        };

    private async Task<JsonObject> CreateConfigMapAsync(string name)
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap(name));
        Assert.Equal(HttpStatusCode.Created, status);
        return body!.AsObject();
    }

    private static string Text(JsonNode? node, params string[] path) => node.StringAt(path) ?? "";

    [Fact]
    public async Task ACreateAnswersWithTheGeneratedNameAndUidButStoresNothing()
    {
        var rv = await fixture.SettledResourceVersionAsync();
        var draft = ConfigMap("");
        draft.Metadata().Remove("name");
        draft.Metadata()["generateName"] = "draft-";

        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", draft);

        Assert.Equal(HttpStatusCode.Created, status);
        var name = Text(body, "metadata", "name");
        Assert.Matches("^draft-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
        Assert.True(Guid.TryParse(Text(body, "metadata", "uid"), out _), body!.ToJsonString());
        Assert.NotEmpty(Text(body, "metadata", "creationTimestamp"));
        Assert.Null(body.At("metadata", "resourceVersion"));
        Assert.Null(Store.Get(CoreKinds.ConfigMaps, "default", name));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task ADeploymentCreatedDryGetsItsDefaultsAndWakesNoController()
    {
        var rv = await fixture.SettledResourceVersionAsync();
        var deployment = AppsSeeder.Deployment("dry-app", "default", "nginx:1.27", 3, DateTimeOffset.UtcNow);
        deployment["apiVersion"] = "apps/v1";
        deployment["kind"] = "Deployment";
        deployment.Metadata().Remove("creationTimestamp");
        deployment["spec"]!.AsObject().Remove("strategy");

        var (status, body) = await Api.PostAsync("/apis/apps/v1/namespaces/default/deployments?dryRun=All", deployment);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("RollingUpdate", Text(body, "spec", "strategy", "type"));
        Assert.Equal(1, body.LongAt("metadata", "generation"));
        await Task.Delay(500);
        Assert.Null(Store.Get(AppsKinds.Deployments, "default", "dry-app"));
        Assert.DoesNotContain(Store.List(AppsKinds.ReplicaSets, "default").Items, r => r.Name.StartsWith("dry-app", StringComparison.Ordinal));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Theory]
    [InlineData("application/merge-patch+json", """{"data":{"k":"patched"}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"data":{"k":"patched"}}""")]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/data/k","value":"patched"}]""")]
    [InlineData("application/apply-patch+yaml", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},"data":{"k":"patched"}}""")]
    public async Task EveryPatchTypeAnswersThePatchedObjectAndKeepsTheStoredOne(string contentType, string patch)
    {
        var name = "patch-" + contentType.Split('/')[1].Split('+')[0];
        var created = await CreateConfigMapAsync(name);
        var rv = await fixture.SettledResourceVersionAsync();

        // The creator owns data.k; an apply must force to take it (a conflict otherwise), other patches may not.
        var force = contentType == "application/apply-patch+yaml" ? "&force=true" : "";
        var (status, body) = await Api.PatchAsync($"/api/v1/namespaces/default/configmaps/{name}?dryRun=All&fieldManager=dry-test{force}",
            patch.Replace("NAME", name), contentType);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("patched", Text(body, "data", "k"));
        Assert.Equal(Text(created, "metadata", "resourceVersion"), Text(body, "metadata", "resourceVersion"));
        Assert.True(JsonNode.DeepEquals(created, Store.Get(CoreKinds.ConfigMaps, "default", name)));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task AnApplyThatWouldCreateAnswers201AndCreatesNothing()
    {
        var rv = await fixture.SettledResourceVersionAsync();

        var (status, body) = await Api.PatchAsync("/api/v1/namespaces/default/configmaps/applied-dry?dryRun=All&fieldManager=dry-test",
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied-dry"},"data":{"k":"v"}}""", "application/apply-patch+yaml");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("v", Text(body, "data", "k"));
        Assert.Null(Store.Get(CoreKinds.ConfigMaps, "default", "applied-dry"));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task AnUpdateAndAStatusUpdateAnswerTheNewObjectWithTheCurrentResourceVersion()
    {
        var rv = await fixture.SettledResourceVersionAsync();
        var web = Store.Get(AppsKinds.Deployments, "default", "web")!;
        var changed = web.DeepClone().AsObject();
        changed.ObjectAt("spec")["replicas"] = 7;
        var status = web.DeepClone().AsObject();
        status.ObjectAt("status")["replicas"] = 9;

        var (updated, body) = await Api.PutAsync("/apis/apps/v1/namespaces/default/deployments/web?dryRun=All", changed);
        var (statusUpdated, statusBody) = await Api.PutAsync("/apis/apps/v1/namespaces/default/deployments/web/status?dryRun=All", status);

        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(7, body.LongAt("spec", "replicas"));
        Assert.Equal(web.LongAt("metadata", "generation") + 1, body.LongAt("metadata", "generation"));
        Assert.Equal(Text(web, "metadata", "resourceVersion"), Text(body, "metadata", "resourceVersion"));
        Assert.Equal(HttpStatusCode.OK, statusUpdated);
        Assert.Equal(9, statusBody.LongAt("status", "replicas"));
        Assert.True(JsonNode.DeepEquals(web, Store.Get(AppsKinds.Deployments, "default", "web")));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task AScaleAnswersTheNewScaleAndStartsNoPod()
    {
        var rv = await fixture.SettledResourceVersionAsync();

        var (status, body) = await Api.PatchAsync("/apis/apps/v1/namespaces/default/deployments/web/scale?dryRun=All",
            """{"spec":{"replicas":5}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, body.LongAt("spec", "replicas"));
        await Task.Delay(500);
        Assert.Equal(2, Store.Get(AppsKinds.Deployments, "default", "web").LongAt("spec", "replicas"));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task DeletesAnswerAsRealOnesAndLeaveEverythingInPlace()
    {
        await CreateConfigMapAsync("delete-query");
        await CreateConfigMapAsync("delete-body");
        var rv = await fixture.SettledResourceVersionAsync();
        var pod = Store.List(CoreKinds.Pods, "default").Items.First(p => p.Name.StartsWith("web-", StringComparison.Ordinal));

        var (byQuery, queryBody) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/delete-query?dryRun=All");
        var (byBody, bodyBody) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/delete-body",
            JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}"""));
        var (graceful, podBody) = await Api.DeleteAsync($"/api/v1/namespaces/default/pods/{pod.Name}?dryRun=All");
        var (collection, listBody) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps?labelSelector=dry%3Drun&dryRun=All");

        Assert.Equal(HttpStatusCode.OK, byQuery);
        Assert.Equal("Success", Text(queryBody, "status"));
        Assert.Equal(HttpStatusCode.OK, byBody);
        Assert.Equal("Success", Text(bodyBody, "status"));
        Assert.Equal(HttpStatusCode.OK, graceful);
        Assert.NotEmpty(Text(podBody, "metadata", "deletionTimestamp"));
        Assert.Equal(HttpStatusCode.OK, collection);
        Assert.Contains(listBody!["items"]!.AsArray(), i => Text(i, "metadata", "name") == "delete-query");
        Assert.NotNull(Store.Get(CoreKinds.ConfigMaps, "default", "delete-query"));
        Assert.NotNull(Store.Get(CoreKinds.ConfigMaps, "default", "delete-body"));
        Assert.Null(Store.Get(CoreKinds.Pods, "default", pod.Name).At("metadata", "deletionTimestamp"));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task AnEvictionChecksTheBudgetButSpendsNothingAndKeepsThePod()
    {
        var (created, _) = await Api.PostAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets",
            JsonNode.Parse("""{"metadata":{"name":"web"},"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app":"web"}}}}""")!);
        Assert.Equal(HttpStatusCode.Created, created);
        await Eventually.IsTrueAsync(() => Store.Get(MaintenanceKinds.PodDisruptionBudgets, "default", "web").LongAt("status", "disruptionsAllowed") == 1, "the budget's status");
        var rv = await fixture.SettledResourceVersionAsync();
        var budget = Store.Get(MaintenanceKinds.PodDisruptionBudgets, "default", "web");
        var pod = Store.List(CoreKinds.Pods, "default").Items.First(p => p.Name.StartsWith("web-", StringComparison.Ordinal)).Name;
        JsonNode Eviction(string options) => JsonNode.Parse($$"""
            {"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"{{pod}}","namespace":"default"},"deleteOptions":{{options}}}
            """)!;

        var (byQuery, queryBody) = await Api.PostAsync($"/api/v1/namespaces/default/pods/{pod}/eviction?dryRun=All", Eviction("{}"));
        var (byOptions, _) = await Api.PostAsync($"/api/v1/namespaces/default/pods/{pod}/eviction", Eviction("""{"dryRun":["All"]}"""));
        var (mismatch, mismatchBody) = await Api.PostAsync($"/api/v1/namespaces/default/pods/{pod}/eviction?dryRun=All&dryRun=All", Eviction("""{"dryRun":["All"]}"""));

        Assert.Equal(HttpStatusCode.Created, byQuery);
        Assert.Equal("Success", Text(queryBody, "status"));
        Assert.Equal(HttpStatusCode.Created, byOptions);
        Assert.Equal(HttpStatusCode.InternalServerError, mismatch);
        Assert.Equal("Non-matching dry-run options in request and content: [All All] and [All]", Text(mismatchBody, "message"));
        Assert.True(JsonNode.DeepEquals(budget, Store.Get(MaintenanceKinds.PodDisruptionBudgets, "default", "web")));
        Assert.Null(Store.Get(CoreKinds.Pods, "default", pod).At("metadata", "deletionTimestamp"));
        Assert.Equal(rv, Store.ResourceVersion);
    }

    [Fact]
    public async Task AWatchSeesNoEventForDryWritesAndTheNextRealOneFirst()
    {
        await CreateConfigMapAsync("watched");
        var rv = await fixture.SettledResourceVersionAsync();
        await using var watch = await WatchReader.OpenAsync(Api.Http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={rv}");

        await Api.PatchAsync("/api/v1/namespaces/default/configmaps/watched?dryRun=All", """{"data":{"k":"dry"}}""", "application/merge-patch+json");
        await Api.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", ConfigMap("watched-new"));
        await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/watched?dryRun=All");
        await Api.PatchAsync("/api/v1/namespaces/default/configmaps/watched", """{"data":{"k":"real"}}""", "application/merge-patch+json");

        var first = await watch.NextAsync();
        Assert.Equal("MODIFIED", Text(first, "type"));
        Assert.Equal("real", Text(first, "object", "data", "k"));
        Assert.Equal(rv + 1, long.Parse(Text(first, "object", "metadata", "resourceVersion")));
    }

    [Fact]
    public async Task ValidationAndAdmissionStillRefuseUnderDryRun()
    {
        var bad = ConfigMap("bad-label");
        bad.Metadata()["labels"] = new JsonObject { ["bad key"] = "v" };
        await CreateConfigMapAsync("exists-already");

        var (invalid, _) = await Api.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", bad);
        var (exists, _) = await Api.PostAsync("/api/v1/namespaces/default/configmaps?dryRun=All", ConfigMap("exists-already"));
        var (missing, _) = await Api.PatchAsync("/api/v1/namespaces/default/configmaps/no-such?dryRun=All", "{}", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Equal(HttpStatusCode.Conflict, exists);
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Theory]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps?dryRun=Yes", "CreateOptions", "[]string{\"Yes\"}")]
    [InlineData("PUT", "/api/v1/namespaces/default/configmaps/options?dryRun=true", "UpdateOptions", "[]string{\"true\"}")]
    [InlineData("PATCH", "/api/v1/namespaces/default/configmaps/options?dryRun=All&dryRun=None", "PatchOptions", "[]string{\"All\", \"None\"}")]
    [InlineData("DELETE", "/api/v1/namespaces/default/configmaps/options?dryRun=all", "DeleteOptions", "[]string{\"all\"}")]
    public async Task AnUnknownDryRunValueIs422AboutTheOptions(string method, string path, string kind, string value)
    {
        var body = method is "POST" or "PUT" ? ConfigMap("options").ToJsonString() : method == "PATCH" ? "{}" : null;
        var contentType = method == "PATCH" ? "application/merge-patch+json" : "application/json";

        var (status, status422) = await Api.SendAsync(new HttpMethod(method), path, body, contentType);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var message = $"Unsupported value: {value}: supported values: \"All\"";
        var expected = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = $"{kind}.meta.k8s.io \"\" is invalid: dryRun: {message}",
            ["reason"] = "Invalid",
            ["details"] = new JsonObject
            {
                ["group"] = "meta.k8s.io", ["kind"] = kind,
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueNotSupported", ["message"] = message, ["field"] = "dryRun" }),
            },
            ["code"] = 422,
        };
        Assert.True(JsonNode.DeepEquals(expected, status422), status422!.ToJsonString());
    }
}
