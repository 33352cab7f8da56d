using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Nodes;

/// <summary>The Eviction subresource with budgets, as pkg/registry/core/pod/storage/eviction.go answers.</summary>
public sealed class DisruptionBudgetTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private async Task CreatePodsAsync(string app, int count, int grace = 0)
    {
        // Controlled by an object that exists (the garbage collector deletes pods whose owner does not) and that no controller scales.
        var (created, owner) = await Api.PostAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = app } });
        Assert.Equal(HttpStatusCode.Created, created);
        for (var i = 1; i <= count; i++)
        {
            var (status, _) = await Api.PostAsync("/api/v1/namespaces/default/pods", JsonNode.Parse("""
                {"metadata":{"name":"APP-I","labels":{"app":"APP"},
                 "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"APP","uid":"OWNER","controller":true}]},
                 "spec":{"nodeName":"worker-1","terminationGracePeriodSeconds":GRACE,"containers":[{"name":"c","image":"pause:3.10"}]}}
                """.Replace("OWNER", owner!["metadata"]!["uid"]!.GetValue<string>()).Replace("APP", app).Replace("GRACE", grace.ToString()).Replace("-I\"", $"-{i}\""))!);
            Assert.Equal(HttpStatusCode.Created, status);
        }
        await Eventually.IsTrueAsync(() => Enumerable.Range(1, count).All(i =>
            fixture.Emulator.Store.Get(CoreKinds.Pods, "default", $"{app}-{i}")?.StringAt("status", "phase") == "Running"), "pods running");
    }

    private async Task CreateBudgetAsync(string app, string spec)
    {
        var (status, _) = await Api.PostAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets", JsonNode.Parse("""
            {"metadata":{"name":"APP"},"spec":{SPEC,"selector":{"matchLabels":{"app":"APP"}}}}
            """.Replace("APP", app).Replace("SPEC", spec))!);
        Assert.Equal(HttpStatusCode.Created, status);
    }

    private Task<(HttpStatusCode Status, JsonNode? Body)> EvictAsync(string pod) =>
        Api.PostAsync($"/api/v1/namespaces/default/pods/{pod}/eviction", JsonNode.Parse("""
            {"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"POD","namespace":"default"},"deleteOptions":{}}
            """.Replace("POD", pod))!);

    [Fact]
    public async Task ABudgetWithNoDisruptionLeftAnswers429WithTheDisruptionBudgetCause()
    {
        await CreatePodsAsync("guarded", 2);
        await CreateBudgetAsync("guarded", "\"minAvailable\":2");
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(MaintenanceKinds.PodDisruptionBudgets, "default", "guarded")?.LongAt("status", "currentHealthy") == 2, "budget status");

        var (status, body) = await EvictAsync("guarded-1");

        Assert.Equal((HttpStatusCode)429, status);
        var expected = JsonNode.Parse(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Cannot evict pod as it would violate the pod's disruption budget.","reason":"TooManyRequests","details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget guarded needs 2 healthy pods and has 2 currently"}]},"code":429}""");
        Assert.True(JsonNode.DeepEquals(expected, body), body!.ToJsonString());
        Assert.NotNull(fixture.Emulator.Store.Get(CoreKinds.Pods, "default", "guarded-1"));
    }

    [Fact]
    public async Task ConcurrentEvictionsNeverSpendMoreThanTheBudgetAllows()
    {
        // Evicted pods stay terminating meanwhile, so the budget keeps counting them, as it would the ReplicaSet's scale.
        await CreatePodsAsync("spend", 5, grace: 30);
        await CreateBudgetAsync("spend", "\"maxUnavailable\":2");
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(MaintenanceKinds.PodDisruptionBudgets, "default", "spend")?.LongAt("status", "disruptionsAllowed") == 2, "budget status");

        var answers = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => EvictAsync($"spend-{i}")));

        Assert.Equal(2, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.Equal(3, answers.Count(a => a.Status == (HttpStatusCode)429));
    }

    [Fact]
    public async Task ABudgetTheControllerHasNotSeenYetIsStillBeingProcessed()
    {
        // A store of its own and no controller: the budget's status stays behind its generation.
        var store = new ObjectStore();
        store.Create(MaintenanceKinds.PodDisruptionBudgets, JsonNode.Parse("""
            {"metadata":{"name":"fresh","namespace":"default"},"spec":{"minAvailable":0,"selector":{"matchLabels":{"app":"fresh"}}},"status":{"observedGeneration":0,"disruptionsAllowed":1}}
            """)!.AsObject());
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"fresh-1","namespace":"default","labels":{"app":"fresh"}},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}
            """)!.AsObject();
        var request = new AdmissionRequest(AdmissionOperation.Create, CoreKinds.Pods, "eviction", "default", "fresh-1",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "fresh-1" } }, pod, new EmulatorUser("admin", [], AccessLevel.Admin), store);

        var refusal = await Assert.ThrowsAsync<ApiException>(() => new DisruptionBudgetAdmission(TimeProvider.System).AdmitAsync(request, CancellationToken.None).AsTask());

        Assert.Equal(429, refusal.Code);
        Assert.Equal("The disruption budget fresh is still being processed by the server.", refusal.Details!["causes"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(10, refusal.Details["retryAfterSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task PendingAndTerminatingPodsAreEvictedWithoutABudgetCheck()
    {
        await CreateBudgetAsync("waiting", "\"minAvailable\":5");
        fixture.Emulator.Store.Create(CoreKinds.Pods, JsonNode.Parse("""
            {"metadata":{"name":"waiting-1","namespace":"default","labels":{"app":"waiting"}},"spec":{"containers":[{"name":"c","image":"pause"}]},"status":{"phase":"Pending"}}
            """)!.AsObject());

        var (status, _) = await EvictAsync("waiting-1");

        Assert.Equal(HttpStatusCode.Created, status);
    }
}
