using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Nodes;

/// <summary>
/// Names and labels a real API server refuses with 422 Invalid (apimachinery's ObjectMeta
/// validation); the emulator must not accept a Node the real one would refuse, or a module that
/// skips its own checks would pass here and fail on a cluster.
/// </summary>
public sealed class NodeValidationTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private ApiClient Api => fixture.Admin;

    private static JsonObject Node(string name, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject() },
    };

    [Theory]
    [InlineData("Worker-1")]
    [InlineData("worker_1")]
    [InlineData("worker..1")]
    [InlineData("worker-1.")]
    [InlineData("worker-1\n")]
    [InlineData("$(touch pwned)")]
    public async Task RefusesANodeNameThatIsNoLowercaseSubdomain(string name)
    {
        var (status, body) = await Api.PostAsync("/api/v1/nodes", Node(name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        // The API server quotes names as Go's %q does, so a newline arrives escaped.
        var quoted = $"\"{name.Replace("\n", "\\n")}\"";
        Assert.StartsWith($"Node {quoted} is invalid: metadata.name: Invalid value: {quoted}: a lowercase RFC 1123 subdomain", body!["message"]!.GetValue<string>());
        var (missing, _) = await Api.GetAsync($"/api/v1/nodes/{Uri.EscapeDataString(name)}");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Theory]
    [InlineData("bad key", "v", "Invalid value: \"bad key\": name part must consist of alphanumeric characters")]
    [InlineData("a/b/c", "v", "Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters")]
    [InlineData("Bad.Prefix/key", "v", "Invalid value: \"Bad.Prefix/key\": prefix part a lowercase RFC 1123 subdomain")]
    [InlineData("/key", "v", "Invalid value: \"/key\": prefix part must be non-empty")]
    [InlineData("key", "bad value", "Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters")]
    [InlineData("key", "-v", "Invalid value: \"-v\": a valid label must be an empty string")]
    [InlineData("node-role.kubernetes.io/$(touch pwned)", "", "name part must consist of alphanumeric characters")]
    public async Task RefusesALabelTheApiServerRefusesOnCreate(string key, string value, string message)
    {
        var (status, body) = await Api.PostAsync("/api/v1/nodes", Node("label-check", new JsonObject { [key] = value }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Invalid", body!["reason"]!.GetValue<string>());
        var cause = body["details"]!["causes"]![0]!;
        Assert.Equal("metadata.labels", cause["field"]!.GetValue<string>());
        Assert.Contains(message, cause["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesTooLongLabelKeysAndValues()
    {
        var (status, body) = await Api.PostAsync("/api/v1/nodes", Node("label-length", new JsonObject { [new string('k', 64)] = "v", ["key"] = new string('v', 64) }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var causes = body!["details"]!["causes"]!.AsArray().Select(c => c!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(causes, c => c.EndsWith("name part must be no more than 63 characters", StringComparison.Ordinal));
        Assert.Contains(causes, c => c.EndsWith("must be no more than 63 characters", StringComparison.Ordinal) && c.Contains("\"vvvv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusesABadLabelInAPatchAndKeepsTheNode()
    {
        var (created, _) = await Api.PostAsync("/api/v1/nodes", Node("label-patch", new JsonObject { ["fleet.test/host"] = "label-patch", ["empty"] = "" }));
        Assert.Equal(HttpStatusCode.Created, created);

        var (status, _) = await Api.PatchAsync("/api/v1/nodes/label-patch", """{"metadata":{"labels":{"bad key":"x"}}}""", "application/merge-patch+json");
        var (put, _) = await Api.PutAsync("/api/v1/nodes/label-patch", Node("label-patch", new JsonObject { ["key"] = "bad value" }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, put);
        var (_, node) = await Api.GetAsync("/api/v1/nodes/label-patch");
        Assert.Equal("""{"fleet.test/host":"label-patch","empty":""}""", node!["metadata"]!["labels"]!.ToJsonString());
    }
}
