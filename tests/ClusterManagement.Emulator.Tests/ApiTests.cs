using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>The HTTP surface: verbs, codes and Status bodies as a client sees them.</summary>
public sealed class ApiTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    [Fact]
    public async Task DiscoveryListsResourcesAndTheEvictionSubresource()
    {
        var (_, groups) = await Api.GetAsync("/api");
        var (_, core) = await Api.GetAsync("/api/v1");
        var (_, version) = await Api.GetAsync("/version");

        Assert.Equal("v1", groups!["versions"]![0]!.GetValue<string>());
        var resources = core!["resources"]!.AsArray();
        var nodes = resources.Single(r => r!["name"]!.GetValue<string>() == "nodes")!;
        Assert.Equal("""{"name":"nodes","singularName":"node","namespaced":false,"kind":"Node","verbs":["create","delete","deletecollection","get","list","patch","update","watch"],"shortNames":["no"]}""",
            nodes.ToJsonString());
        var eviction = resources.Single(r => r!["name"]!.GetValue<string>() == "pods/eviction")!;
        Assert.Equal("""{"name":"pods/eviction","singularName":"","namespaced":true,"group":"policy","version":"v1","kind":"Eviction","verbs":["create"]}""",
            eviction.ToJsonString());
        Assert.Equal("v1.32.4", version!["gitVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task MissingObjectIsAnExactNotFoundStatus()
    {
        var (status, body) = await Api.GetAsync("/api/v1/nodes/x");

        Assert.Equal(HttpStatusCode.NotFound, status);
        var expected = JsonNode.Parse("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"nodes"},"code":404}
            """);
        Assert.True(JsonNode.DeepEquals(expected, body), body!.ToJsonString());
    }

    [Fact]
    public async Task CreateUpdateConflictAndDelete()
    {
        var (created, body) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("cm-crud"));
        Assert.Equal(HttpStatusCode.Created, created);
        var stale = body!.DeepClone();

        body["data"]!["k"] = "v2";
        var (updated, after) = await Api.PutAsync("/api/v1/namespaces/default/configmaps/cm-crud", body);
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.NotEqual(stale["metadata"]!["resourceVersion"]!.GetValue<string>(), after!["metadata"]!["resourceVersion"]!.GetValue<string>());

        var (conflict, status) = await Api.PutAsync("/api/v1/namespaces/default/configmaps/cm-crud", stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("Conflict", status!["reason"]!.GetValue<string>());
        Assert.Equal("Operation cannot be fulfilled on configmaps \"cm-crud\": the object has been modified; please apply your changes to the latest version and try again",
            status["message"]!.GetValue<string>());

        var (again, exists) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("cm-crud"));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("AlreadyExists", exists!["reason"]!.GetValue<string>());

        var (deleted, success) = await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/cm-crud");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal("Success", success!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/api/v1/namespaces/default/configmaps/cm-crud")).Status);
    }

    [Fact]
    public async Task InvalidNameIsUnprocessableWithCauses()
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("Bad_Name"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Invalid", body!["reason"]!.GetValue<string>());
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", body["message"]!.GetValue<string>());
        var cause = body["details"]!["causes"]![0]!;
        Assert.Equal(("FieldValueInvalid", "metadata.name"), (cause["reason"]!.GetValue<string>(), cause["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CreateInAMissingNamespaceIsNotFound()
    {
        var (status, body) = await Api.PostAsync("/api/v1/namespaces/nowhere/configmaps", ConfigMap("x"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("namespaces \"nowhere\" not found", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownResourceAndWrongMethod()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync("/api/v1/widgets")).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Api.PostAsync("/api/v1/nodes/worker-1", new JsonObject())).Status);
    }

    [Fact]
    public async Task PagingWithLimitAndContinue()
    {
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (status, page) = await Api.GetAsync($"/api/v1/nodes?limit=3{(token is null ? "" : $"&continue={token}")}");
            Assert.Equal(HttpStatusCode.OK, status);
            names.AddRange(page!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            token = page["metadata"]!["continue"]?.GetValue<string>();
            if (pages++ == 0)
            {
                Assert.Equal(1, page["metadata"]!["remainingItemCount"]!.GetValue<long>());
                Assert.Equal("NodeList", page["kind"]!.GetValue<string>());
            }
        }
        while (token is not null && pages < 10);

        Assert.Equal(["cp-1", "worker-1", "worker-2", "worker-3"], names);
    }

    [Fact]
    public async Task ExpiredContinueTokenIsGone()
    {
        var (_, page) = await Api.GetAsync("/api/v1/nodes?limit=1");
        var token = page!["metadata"]!["continue"]!.GetValue<string>();
        var lifetime = fixture.Emulator.Settings.ContinueTokenLifetime;
        fixture.Emulator.Settings.ContinueTokenLifetime = TimeSpan.Zero;
        try
        {
            var (status, body) = await Api.GetAsync($"/api/v1/nodes?limit=1&continue={token}");

            Assert.Equal(HttpStatusCode.Gone, status);
            Assert.Equal("Expired", body!["reason"]!.GetValue<string>());
            Assert.NotNull(body["metadata"]!["continue"]);
        }
        finally
        {
            fixture.Emulator.Settings.ContinueTokenLifetime = lifetime;
        }
    }

    [Fact]
    public async Task ClusterWideListWithFieldAndLabelSelectors()
    {
        // kube-system only: the apps module's sample Deployment may place a pod on worker-1 too.
        var (_, onWorker1) = await Api.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1,metadata.namespace%3Dkube-system");
        var (_, proxies) = await Api.GetAsync("/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%20in%20(kube-proxy)");

        // The store is the measure of what both selectors together must return.
        var expected = fixture.Emulator.Store.List(CoreKinds.Pods, "kube-system").Items.Select(p => p.ToJson())
            .Where(p => p.StringAt("spec", "nodeName") == "worker-1").Select(p => p.Name()).Order().ToList();
        Assert.True(expected.Count >= 2);
        Assert.Equal(expected, onWorker1!["items"]!.AsArray().Select(p => p!.AsObject().Name()).Order());
        Assert.Equal(4, proxies!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task NodeTableForKubectlGet()
    {
        var (status, table) = await Api.GetAsync("/api/v1/nodes?includeObject=Metadata", ApiClient.TableAccept);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Table", table!["kind"]!.GetValue<string>());
        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal(["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
            columns.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], columns.Select(c => c!["priority"]!.GetValue<int>()));
        var row = table["rows"]![1]!;
        Assert.Equal("worker-1", row["cells"]![0]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
        Assert.Null(row["object"]!["status"]);
    }

    [Fact]
    public async Task MainResourceWritesKeepStatusAndStatusWritesKeepSpec()
    {
        var (_, node) = await Api.GetAsync("/api/v1/nodes/worker-3");
        node!["status"]!["nodeInfo"]!["osImage"] = "changed";
        node["metadata"]!["labels"]!["updated"] = "yes";
        node["metadata"]!.AsObject().Remove("resourceVersion");

        var (_, afterMain) = await Api.PutAsync("/api/v1/nodes/worker-3", node);
        var (_, afterStatus) = await Api.PatchAsync("/api/v1/nodes/worker-3/status",
            """{"metadata":{"labels":{"ignored":"yes"}},"status":{"nodeInfo":{"osImage":"patched"}}}""", "application/merge-patch+json");

        Assert.Equal("Debian GNU/Linux 12 (bookworm)", afterMain!["status"]!["nodeInfo"]!["osImage"]!.GetValue<string>());
        Assert.Equal("yes", afterMain["metadata"]!["labels"]!["updated"]!.GetValue<string>());
        Assert.Equal("patched", afterStatus!["status"]!["nodeInfo"]!["osImage"]!.GetValue<string>());
        Assert.Null(afterStatus["metadata"]!["labels"]!["ignored"]);
        Assert.Equal("true", afterStatus["metadata"]!["annotations"]!["emulator.clustermanagement.io/external-heartbeat"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchWithStrategicMergeBumpsGenerationOnlyOnSpecChange()
    {
        const string Budget = "/apis/policy/v1/namespaces/default/poddisruptionbudgets/pdb-gen";
        await Api.PostAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets", JsonNode.Parse("""
            {"metadata":{"name":"pdb-gen"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"gen"}}}}
            """)!);
        var (_, service) = await Api.PostAsync("/api/v1/namespaces/default/services", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "svc-gen" },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
        });

        var (_, labelled) = await Api.PatchAsync(Budget, """{"metadata":{"labels":{"a":"b"}}}""", "application/strategic-merge-patch+json; charset=utf-8");
        var (_, specChanged) = await Api.PatchAsync(Budget, """[{"op":"replace","path":"/spec/minAvailable","value":2}]""", "application/json-patch+json");
        var (conflict, _) = await Api.PatchAsync(Budget, """{"metadata":{"resourceVersion":"1"}}""", "application/merge-patch+json");

        Assert.Equal(1, labelled!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(2, specChanged!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        // The Service strategy keeps no generation at all.
        Assert.Null(service!["metadata"]!["generation"]);
    }

    [Fact]
    public async Task PodLifecycleRunsGracefullyDeletesAndEvicts()
    {
        var (created, pod) = await Api.PostAsync("/api/v1/namespaces/default/pods", Pod("pod-life"));
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("Pending", pod!["status"]!["phase"]!.GetValue<string>());

        var running = await Eventually.ReturnsAsync(() =>
            fixture.Emulator.Store.Get(CoreKinds.Pods, "default", "pod-life") is { } p && p.StringAt("status", "phase") == "Running" ? p : null, "pod to run");
        Assert.StartsWith("10.244.1.", running.StringAt("status", "podIP"));
        Assert.Equal("127.1.0.12", running.StringAt("status", "hostIP"));
        Assert.Equal("True", running.Condition("Ready")!.StringAt("status"));

        var (deleted, terminating) = await Api.DeleteAsync("/api/v1/namespaces/default/pods/pod-life", new JsonObject { ["gracePeriodSeconds"] = 1 });
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal("Pod", terminating!["kind"]!.GetValue<string>());
        Assert.NotNull(terminating["metadata"]!["deletionTimestamp"]);
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Find(CoreKinds.Pods, "default", "pod-life") is null, "terminating pod to go");

        await Api.PostAsync("/api/v1/namespaces/default/pods", Pod("pod-evict"));
        var (evicted, _) = await Api.PostAsync("/api/v1/namespaces/default/pods/pod-evict/eviction", JsonNode.Parse("""
            {"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"pod-evict","namespace":"default"},"deleteOptions":{"gracePeriodSeconds":0}}
            """)!);
        Assert.Equal(HttpStatusCode.Created, evicted);
        Assert.Null(fixture.Emulator.Store.Find(CoreKinds.Pods, "default", "pod-evict"));
    }

    [Fact]
    public async Task DeletingAnOwnerCollectsItsDependents()
    {
        var (_, owner) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", ConfigMap("owner"));
        var dependent = ConfigMap("dependent");
        dependent["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "owner", ["uid"] = owner!["metadata"]!["uid"]!.GetValue<string>(),
        });
        await Api.PostAsync("/api/v1/namespaces/default/configmaps", dependent);

        await Api.DeleteAsync("/api/v1/namespaces/default/configmaps/owner", new JsonObject { ["propagationPolicy"] = "Background" });

        // The collector works after the DELETE has answered, as kube-controller-manager's does.
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Find(CoreKinds.ConfigMaps, "default", "dependent") is null, "dependent collected");
    }

    private static JsonObject ConfigMap(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["k"] = "v" },
    };

    private static JsonObject Pod(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = "worker-1",
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }),
        },
    };
}
