using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Autoscaling;

/// <summary>autoscaling/v2 HorizontalPodAutoscalers: defaults, validation with the real messages, and kubectl get hpa.</summary>
public sealed class HorizontalPodAutoscalerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Collection = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";

    private static JsonNode Hpa(string name, string spec) => JsonNode.Parse($$"""
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"{{name}}"},"spec":{{spec}}}
        """)!;

    [Fact]
    public async Task DefaultsMinReplicasAndTheCpuMetric()
    {
        var (status, hpa) = await fixture.Admin.PostAsync(Collection, Hpa("defaults", """{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":5}"""));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, hpa!["spec"]!["minReplicas"]!.GetValue<int>());
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""", hpa["spec"]!["metrics"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":0,"maxReplicas":5}""", "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":3,"maxReplicas":2}""", "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment"},"maxReplicas":2}""", "spec.scaleTargetRef.name: Required value")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":2,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization"}}}]}""",
        "spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":2,"metrics":[{"type":"Cpu"}]}""",
        "spec.metrics[0].type: Unsupported value: \"Cpu\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"")]
    public async Task RefusesWhatTheApiServerRefuses(string spec, string message)
    {
        var (status, body) = await fixture.Admin.PostAsync(Collection, Hpa("bad", spec));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal($"HorizontalPodAutoscaler.autoscaling \"bad\" is invalid: {message}", body!["message"]!.GetValue<string>());
    }

    [KubectlFact]
    public async Task KubectlGetHpaPrintsReferenceTargetsAndBounds()
    {
        await fixture.Admin.PostAsync(Collection, Hpa("web", """{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":5}"""));

        var table = await Kubectl.RunAsync(fixture.Emulator.KubeconfigPath, "get", "hpa", "web");

        var lines = table.Output.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$", lines[0]);
        Assert.Matches(@"^web\s+Deployment/web\s+cpu: <unknown>/80%\s+2\s+5\s+0\s+\d+s$", lines[1]);
    }
}
