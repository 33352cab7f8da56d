using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Quota;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Quota;

/// <summary>
/// ResourceQuota as the apiserver's quota admission (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go)
/// and kube-controller-manager's resourcequota controller run it: refusals with the real 403 messages, usage
/// counted and replenished, and controllers whose pods are refused record FailedCreate.
/// </summary>
public sealed class ResourceQuotaTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private async Task<string> NamespaceAsync(string name)
    {
        var (status, _) = await fixture.Admin.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        Assert.Equal(HttpStatusCode.Created, status);
        return name;
    }

    /// <summary>Creates a quota and waits until the controller has counted it, as a client must before it is enforced.</summary>
    private async Task<JsonObject> QuotaAsync(string ns, string name, JsonObject hard)
    {
        var (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject { ["hard"] = hard } });
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        return await Eventually.ReturnsAsync(() => fixture.Emulator.Store.Get(GeneratedObjectKindsModule.ResourceQuotas, ns, name) is { } q
            && q.At("status", "used") is JsonObject used && used.Count == hard.Count ? q : null, $"quota {name} counted");
    }

    private static JsonObject Pod(string name, JsonObject? resources = null)
    {
        var container = new JsonObject { ["name"] = "c", ["image"] = "busybox:1.36" };
        if (resources is not null)
        {
            container["resources"] = resources;
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } };
    }

    private JsonObject? Used(string ns, string quota) =>
        fixture.Emulator.Store.Get(GeneratedObjectKindsModule.ResourceQuotas, ns, quota)?.At("status", "used") as JsonObject;

    [Fact]
    public async Task TheControllerCountsWhatIsThereAndAdmissionRefusesACreateBeyondTheHardLimit()
    {
        var ns = await NamespaceAsync("quota-pods");
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("first"))).Status);

        var quota = await QuotaAsync(ns, "small", new JsonObject { ["pods"] = "2", ["count/configmaps"] = "1" });
        Assert.Equal("""{"count/configmaps":"1","pods":"2"}""", quota.At("status", "hard")!.ToJsonString());
        Assert.Equal("""{"count/configmaps":"0","pods":"1"}""", quota.At("status", "used")!.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("second"))).Status);
        Assert.Equal("2", Used(ns, "small").StringAt("pods"));
        var (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("third"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Forbidden", body.StringAt("reason"));
        Assert.Equal("pods \"third\" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2", body.StringAt("message"));
        Assert.Null(fixture.Emulator.Store.Get(CoreKinds.Pods, ns, "third"));
    }

    [Fact]
    public async Task ADeletedPodGivesItsQuotaBack()
    {
        var ns = await NamespaceAsync("quota-replenish");
        await QuotaAsync(ns, "one", new JsonObject { ["pods"] = "1" });
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("a"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("b"))).Status);

        await fixture.Admin.DeleteAsync($"/api/v1/namespaces/{ns}/pods/a?gracePeriodSeconds=0");

        await Eventually.IsTrueAsync(() => Used(ns, "one").StringAt("pods") == "0", "pods used back to 0");
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("b"))).Status);
    }

    [Fact]
    public async Task AComputeQuotaRefusesContainersThatDoNotStateTheLimitedValuesAndCountsLimitsAsRequests()
    {
        var ns = await NamespaceAsync("quota-compute");
        await QuotaAsync(ns, "compute", new JsonObject { ["requests.cpu"] = "1", ["limits.memory"] = "1Gi" });

        var (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("bare"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c", body.StringAt("message"));

        // Defaulting copies limits into requests, so a pod that states only limits satisfies a requests quota.
        var limitsOnly = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "256Mi" } };
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("p1", limitsOnly.DeepClone().AsObject()))).Status);
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("p2", limitsOnly.DeepClone().AsObject()))).Status);
        Assert.Equal("""{"limits.memory":"512Mi","requests.cpu":"1"}""", Used(ns, "compute")!.ToJsonString());

        (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("p3", limitsOnly.DeepClone().AsObject()));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("pods \"p3\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1",
            body.StringAt("message"));
    }

    [Fact]
    public async Task ClaimsAndObjectCountsAreChargedToo()
    {
        var ns = await NamespaceAsync("quota-storage");
        await QuotaAsync(ns, "storage", new JsonObject { ["persistentvolumeclaims"] = "2", ["requests.storage"] = "3Gi", ["count/deployments.apps"] = "0" });
        static JsonObject Claim(string name, string size) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
            },
        };

        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Claim("a", "2Gi"))).Status);
        var (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", Claim("b", "2Gi"));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("persistentvolumeclaims \"b\" is forbidden: exceeded quota: storage, requested: requests.storage=2Gi, used: requests.storage=2Gi, limited: requests.storage=3Gi",
            body.StringAt("message"));

        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
            """)!;
        (status, body) = await fixture.Admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", deployment);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("deployments.apps \"web\" is forbidden: exceeded quota: storage, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0",
            body.StringAt("message"));
    }

    [Fact]
    public async Task AScopedQuotaCountsOnlyThePodsInItsScope()
    {
        var ns = await NamespaceAsync("quota-scopes");
        var (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas",
            JsonNode.Parse("""{"metadata":{"name":"besteffort"},"spec":{"hard":{"pods":"1"},"scopes":["BestEffort"]}}""")!);
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        await Eventually.IsTrueAsync(() => Used(ns, "besteffort") is not null, "quota counted");
        var requests = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m" } };

        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("burstable-1", requests.DeepClone().AsObject()))).Status);
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("besteffort-1"))).Status);
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("burstable-2", requests.DeepClone().AsObject()))).Status);
        (status, body) = await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("besteffort-2"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("pods \"besteffort-2\" is forbidden: exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1", body.StringAt("message"));
    }

    [Fact]
    public void AQuotaTheControllerHasNotCountedRefusesWhatItLimits()
    {
        // Without a controller, as in the moment between a quota's creation and its first count.
        var store = new ObjectStore();
        var quota = JsonNode.Parse("""{"metadata":{"name":"fresh","namespace":"ns"},"spec":{"hard":{"pods":"5"}},"status":{"hard":{"pods":"5"}}}""")!.AsObject();
        store.Create(GeneratedObjectKindsModule.ResourceQuotas, quota);
        var pod = Pod("p");
        pod.Metadata()["namespace"] = "ns";

        var refusal = Assert.Throws<Api.ApiException>(() => ResourceQuotaAdmission.Charge(store, GeneratedObjectKindsModule.ResourceQuotas, CoreKinds.Pods, pod, null));

        Assert.Equal(403, refusal.Code);
        Assert.Equal("pods \"p\" is forbidden: status unknown for quota: fresh, resources: pods", refusal.Message);
    }

    [Fact]
    public async Task AReplicaSetWhosePodsAreRefusedRecordsFailedCreateAndTheDeploymentReportsReplicaFailure()
    {
        var ns = await NamespaceAsync("quota-replicaset");
        await QuotaAsync(ns, "pods", new JsonObject { ["pods"] = "1" });
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
            """)!;
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", deployment)).Status);

        var rs = await Eventually.ReturnsAsync(() => fixture.Emulator.Store.List(AppsKinds.ReplicaSets, ns).Items.Select(r => r.ToJson())
            .FirstOrDefault(r => r.Condition("ReplicaFailure") is not null), "ReplicaFailure on the ReplicaSet");
        var failed = rs.Condition("ReplicaFailure")!;
        var message = $"pods \"{rs.Name()}-\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1";
        Assert.Equal(("True", "FailedCreate", message), (failed.StringAt("status"), failed.StringAt("reason"), failed.StringAt("message")));
        Assert.Single(fixture.Emulator.Store.List(CoreKinds.Pods, ns).Items);
        var warning = fixture.Emulator.Store.List(CoreKinds.Events, ns).Items.Select(e => e.ToJson()).First(e => e.StringAt("reason") == "FailedCreate");
        Assert.Equal(("Warning", $"Error creating: {message}", "ReplicaSet", rs.Name()),
            (warning.StringAt("type"), warning.StringAt("message"), warning.StringAt("involvedObject", "kind"), warning.StringAt("involvedObject", "name")));
        var copied = await Eventually.ReturnsAsync(() => fixture.Emulator.Store.Get(AppsKinds.Deployments, ns, "web")?.Condition("ReplicaFailure"), "ReplicaFailure on the Deployment");
        Assert.Equal(("FailedCreate", message), (copied.StringAt("reason"), copied.StringAt("message")));

        // Room in the quota: the set's retry (backing off from a second) creates the pod and the failure clears.
        await fixture.Admin.PatchAsync($"/api/v1/namespaces/{ns}/resourcequotas/pods", """{"spec":{"hard":{"pods":"2"}}}""", "application/merge-patch+json");
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.List(CoreKinds.Pods, ns).Items.Count == 2
            && fixture.Emulator.Store.Get(AppsKinds.Deployments, ns, "web")?.Condition("ReplicaFailure") is null, "second pod created and failure cleared", 40);
    }

    [KubectlFact]
    public async Task KubectlGetAndDescribeQuotaShowUsedAgainstHard()
    {
        var ns = await NamespaceAsync("quota-kubectl");
        await QuotaAsync(ns, "compute", new JsonObject { ["pods"] = "4", ["requests.cpu"] = "2", ["limits.cpu"] = "4" });
        var limited = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "250m" } };
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Pod("p", limited))).Status);

        var table = await Kubectl.RunAsync(fixture.Emulator.KubeconfigPath, "get", "quota", "-n", ns);
        var lines = table.Output.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^NAME\s+AGE\s+REQUEST\s+LIMIT$", lines[0]);
        Assert.Matches(@"^compute\s+\d+s\s+pods: 1/4, requests.cpu: 250m/2\s+limits.cpu: 250m/4$", lines[1]);

        // kubectl describe prints status.used and status.hard per resource (describe.go DescribeResourceQuota).
        var describe = await Kubectl.RunAsync(fixture.Emulator.KubeconfigPath, "describe", "quota", "compute", "-n", ns);
        Assert.True(describe.ExitCode == 0, describe.Error);
        Assert.Matches(@"Resource\s+Used\s+Hard\n--------\s+----\s+----\nlimits.cpu\s+250m\s+4\npods\s+1\s+4\nrequests.cpu\s+250m\s+2", describe.Output);
    }
}
