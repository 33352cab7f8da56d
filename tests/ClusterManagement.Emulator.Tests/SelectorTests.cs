using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Selectors;

namespace ClusterManagement.Emulator.Tests;

public sealed class SelectorTests
{
    private static readonly JsonObject Pod = JsonNode.Parse("""
        {"metadata":{"name":"p","namespace":"ns","labels":{"app":"web","tier":"front"}},"spec":{"nodeName":"worker-1"},"status":{"phase":"Running"}}
        """)!.AsObject();

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (db, web)", true)]
    [InlineData("app notin (db,web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier in (front),!missing", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("", true)]
    public void LabelSelectorOperators(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Pod));

    [Fact]
    public void MalformedLabelSelectorIsBadRequest() =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => LabelSelector.Parse("app in web")).Code);

    [Theory]
    [InlineData("metadata.name=p", true)]
    [InlineData("metadata.namespace==ns", true)]
    [InlineData("spec.nodeName=worker-1,status.phase=Running", true)]
    [InlineData("spec.nodeName!=worker-1", false)]
    [InlineData("status.phase=Pending", false)]
    public void FieldSelectorOnPods(string selector, bool matches) =>
        Assert.Equal(matches, FieldSelector.Parse(selector, CoreKinds.Pods).Matches(Pod));

    [Fact]
    public void FieldSelectorOnNodesReadsUnschedulableAsFalseWhenAbsent() =>
        Assert.True(FieldSelector.Parse("spec.unschedulable=false", CoreKinds.Nodes).Matches(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n" } }));

    [Fact]
    public void UnsupportedFieldIsBadRequest()
    {
        var error = Assert.Throws<ApiException>(() => FieldSelector.Parse("spec.nodeName=x", CoreKinds.ConfigMaps));

        Assert.Equal(400, error.Code);
        Assert.Equal("field label not supported: spec.nodeName", error.Message);
    }
}
