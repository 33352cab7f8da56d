using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Autoscaling;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Autoscaling;

/// <summary>
/// autoscaling/v1 served as a view of the stored autoscaling/v2 object, with pkg/apis/autoscaling/v1/conversion.go's
/// mapping (targetCPUUtilizationPercentage, the autoscaling.alpha.kubernetes.io annotations), so kubectl autoscale works.
/// </summary>
public sealed class HorizontalPodAutoscalerV1Tests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    private const string V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";

    [Fact]
    public async Task AV2ObjectReadsAsV1WithTheCpuTargetAndTheOtherMetricsInTheAnnotation()
    {
        await fixture.Admin.PostAsync(V2, JsonNode.Parse("""
            {"metadata":{"name":"both"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":6,
             "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}},
                        {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}}]}}
            """)!);

        var (status, v1) = await fixture.Admin.GetAsync($"{V1}/both");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("autoscaling/v1", 70L, 2L, 6L), (v1.StringAt("apiVersion"), v1.LongAt("spec", "targetCPUUtilizationPercentage"), v1.LongAt("spec", "minReplicas"), v1.LongAt("spec", "maxReplicas")));
        Assert.Equal("""[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}}]""",
            v1.StringAt("metadata", "annotations", "autoscaling.alpha.kubernetes.io/metrics"));
        Assert.Equal("""{"currentReplicas":0,"desiredReplicas":0}""", v1!["status"]!.ToJsonString());

        // A v1 client's update keeps the metric it cannot see, and changes the one it can.
        v1["spec"]!["targetCPUUtilizationPercentage"] = 50;
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.PutAsync($"{V1}/both", v1)).Status);
        var stored = fixture.Emulator.Store.Get(AutoscalingModule.HorizontalPodAutoscalers, "default", "both")!;
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}}]""",
            stored.At("spec", "metrics")!.ToJsonString());
        Assert.Null(stored.At("metadata", "annotations"));
    }

    [Fact]
    public async Task V1WritesPassV2AdmissionAndPatchesApplyToTheV1Form()
    {
        var (status, body) = await fixture.Admin.PostAsync(V1, JsonNode.Parse("""{"metadata":{"name":"bad"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":3,"maxReplicas":2}}""")!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("HorizontalPodAutoscaler.autoscaling \"bad\" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`", body.StringAt("message"));

        (status, body) = await fixture.Admin.PostAsync(V1, JsonNode.Parse("""{"metadata":{"name":"plain"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":4}}""")!);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("autoscaling/v1", 1L, 80L), (body.StringAt("apiVersion"), body.LongAt("spec", "minReplicas"), body.LongAt("spec", "targetCPUUtilizationPercentage")));

        (status, body) = await fixture.Admin.PatchAsync($"{V1}/plain", """{"spec":{"targetCPUUtilizationPercentage":65}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(65, body.LongAt("spec", "targetCPUUtilizationPercentage"));
        Assert.Equal(65, fixture.Emulator.Store.Get(AutoscalingModule.HorizontalPodAutoscalers, "default", "plain")!
            .ObjectsAt("spec", "metrics").Single().LongAt("resource", "target", "averageUtilization"));

        (status, body) = await fixture.Admin.GetAsync(V1);
        Assert.Equal(("HorizontalPodAutoscalerList", "autoscaling/v1"), (body.StringAt("kind"), body.StringAt("apiVersion")));
        Assert.Contains(body!["items"]!.AsArray(), i => i.StringAt("metadata", "name") == "plain" && i.StringAt("apiVersion") == "autoscaling/v1");

        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.DeleteAsync($"{V1}/plain")).Status);
        Assert.Null(fixture.Emulator.Store.Get(AutoscalingModule.HorizontalPodAutoscalers, "default", "plain"));
    }

    [KubectlFact]
    public async Task KubectlAutoscaleCreatesTheAutoscalerAndGetHpaPrintsIt()
    {
        await fixture.Admin.PostAsync("/apis/apps/v1/namespaces/default/deployments", JsonNode.Parse("""
            {"metadata":{"name":"scaled"},"spec":{"selector":{"matchLabels":{"app":"scaled"}},"template":{"metadata":{"labels":{"app":"scaled"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}
            """)!);
        var since = fixture.Emulator.Requests.LastSequence;

        var result = await Kubectl.RunAsync(fixture.Emulator.KubeconfigPath, "autoscale", "deployment", "scaled", "--min=2", "--max=5", "--cpu-percent=80");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("horizontalpodautoscaler.autoscaling/scaled autoscaled", result.Output.Trim());
        var post = Assert.Single(fixture.Emulator.Requests.Since(since), r => r.Method == "POST");
        Assert.StartsWith(V1, post.Path);
        Assert.Equal(201, post.Status);
        var table = await Kubectl.RunAsync(fixture.Emulator.KubeconfigPath, "get", "hpa", "scaled");
        var lines = table.Output.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$", lines[0]);
        Assert.Matches(@"^scaled\s+Deployment/scaled\s+cpu: <unknown>/80%\s+2\s+5\s+0\s+\d+s$", lines[1]);
    }
}
