using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using Xunit;

namespace ClusterManagement.Tests.Nodes;

public sealed class NodeMetadataValidationTests
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Fact]
    public void AcceptsWhatTheApiServerAccepts() =>
        NodeMetadataValidation.Require(
            "worker-1.example.com",
            ["worker", "control-plane", "GPU_node.a-1"],
            new Dictionary<string, string> { ["fleet.test/host"] = "worker-1", ["tier"] = "", ["Example.Key_1"] = "Value.1_a" },
            [NodeRecord.ParseTaint("node-role.kubernetes.io/control-plane:NoSchedule"), NodeRecord.ParseTaint("dedicated=gpu:NoExecute")]);

    [Theory]
    [InlineData("Worker-1")]
    [InlineData("worker_1")]
    [InlineData("worker..1")]
    [InlineData("-worker")]
    [InlineData("$(touch pwned)")]
    [InlineData("worker 1")]
    public void RefusesANodeNameThatIsNoDns1123Subdomain(string name)
    {
        var error = Assert.Throws<ClusterException>(() => NodeMetadataValidation.Require(name, [], NoLabels, []));
        Assert.Equal("NodeNameInvalid", error.ErrorId);
        Assert.Equal(ClusterErrorKind.Invalid, error.Kind);
        Assert.Contains("lowercase RFC 1123 subdomain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesANodeNameLongerThan253() =>
        Assert.Equal("NodeNameInvalid", Assert.Throws<ClusterException>(() => NodeMetadataValidation.Require(new string('a', 254), [], NoLabels, [])).ErrorId);

    [Theory]
    [InlineData("bad role")]
    [InlineData("a/b")]
    [InlineData("-worker")]
    [InlineData("$(touch pwned)")]
    public void RefusesARoleThatCannotBecomeALabel(string role)
    {
        var error = Assert.Throws<ClusterException>(() => NodeMetadataValidation.Require("worker-1", [role], NoLabels, []));
        Assert.Equal("RoleInvalid", error.ErrorId);
        Assert.Contains($"node-role.kubernetes.io/{role}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesARoleWhoseLabelNameWouldBeTooLong() =>
        Assert.Equal("RoleInvalid", Assert.Throws<ClusterException>(() => NodeMetadataValidation.Require("worker-1", [new string('r', 64)], NoLabels, [])).ErrorId);

    [Theory]
    [InlineData("bad key", "v", "LabelKeyInvalid")]
    [InlineData("a/b/c", "v", "LabelKeyInvalid")]
    [InlineData("Example.com/key", "v", "LabelKeyInvalid")]
    [InlineData("", "v", "LabelKeyInvalid")]
    [InlineData("key", "bad value", "LabelValueInvalid")]
    [InlineData("key", "-v", "LabelValueInvalid")]
    [InlineData("key", "a/b", "LabelValueInvalid")]
    [InlineData("key", "$(touch pwned)", "LabelValueInvalid")]
    public void RefusesALabelTheApiServerWouldRefuse(string key, string value, string errorId)
    {
        var error = Assert.Throws<ClusterException>(() => NodeMetadataValidation.Require("worker-1", [], new Dictionary<string, string> { [key] = value }, []));
        Assert.Equal(errorId, error.ErrorId);
    }

    [Fact]
    public void RefusesALabelValueLongerThan63() =>
        Assert.Equal("LabelValueInvalid", Assert.Throws<ClusterException>(() =>
            NodeMetadataValidation.Require("worker-1", [], new Dictionary<string, string> { ["key"] = new string('v', 64) }, [])).ErrorId);

    [Theory]
    [InlineData("bad key:NoSchedule", "TaintKeyInvalid")]
    [InlineData("=value:NoSchedule", "TaintKeyInvalid")]
    [InlineData("a/b/c=v:NoExecute", "TaintKeyInvalid")]
    [InlineData("key=bad value:NoSchedule", "TaintValueInvalid")]
    [InlineData("key=a/b:PreferNoSchedule", "TaintValueInvalid")]
    public void RefusesATaintTheApiServerWouldRefuse(string text, string errorId)
    {
        var error = Assert.Throws<ClusterException>(() => NodeMetadataValidation.Require("worker-1", [], NoLabels, [NodeRecord.ParseTaint(text)]));
        Assert.Equal(errorId, error.ErrorId);
    }

    [Theory]
    [InlineData("key=value:NoRun")]
    [InlineData("key=value")]
    [InlineData("key:noschedule")]
    public void RefusesATaintEffectKubernetesDoesNotHave(string text) =>
        Assert.Equal("TaintInvalid", Assert.Throws<ClusterException>(() => NodeRecord.ParseTaint(text)).ErrorId);
}
