using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Tests;

public sealed class PatchTests
{
    private static readonly JsonObject Deployment = JsonNode.Parse("""
        {"metadata":{"name":"d","labels":{"app":"web","tier":"front"},"finalizers":["a"]},
         "spec":{"replicas":2,"template":{"spec":{
           "containers":[{"name":"web","image":"nginx:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                          "ports":[{"containerPort":80}],"volumeMounts":[{"mountPath":"/data","name":"data"}]},
                         {"name":"sidecar","image":"busybox"}],
           "tolerations":[{"key":"x","operator":"Exists"}]}}}}
        """)!.AsObject();

    [Fact]
    public void JsonPatchAppliesOperationsInOrder()
    {
        var result = Apply(PatchApplier.JsonPatchType, """
            [{"op":"test","path":"/spec/replicas","value":2},
             {"op":"replace","path":"/spec/replicas","value":5},
             {"op":"add","path":"/metadata/labels/new~1key","value":"x"},
             {"op":"remove","path":"/metadata/labels/tier"},
             {"op":"add","path":"/metadata/finalizers/-","value":"b"},
             {"op":"copy","from":"/metadata/labels/app","path":"/metadata/labels/copy"},
             {"op":"move","from":"/metadata/labels/copy","path":"/metadata/labels/moved"}]
            """);

        Assert.Equal(5, result.LongAt("spec", "replicas"));
        Assert.Equal("""{"app":"web","new/key":"x","moved":"web"}""", result.At("metadata", "labels")!.ToJsonString());
        Assert.Equal("""["a","b"]""", result.At("metadata", "finalizers")!.ToJsonString());
    }

    [Fact]
    public void JsonPatchWithAFailingTestIsRejectedWhole()
    {
        var error = Assert.Throws<ApiException>(() => Apply(PatchApplier.JsonPatchType,
            """[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":3}]"""));

        Assert.Equal(422, error.Code);
    }

    [Fact]
    public void MergePatchMergesMapsDeletesNullsAndReplacesLists()
    {
        var result = Apply(PatchApplier.MergePatchType,
            """{"metadata":{"labels":{"tier":null,"x":"y"}},"spec":{"template":{"spec":{"tolerations":[]}}}}""");

        Assert.Equal("""{"app":"web","x":"y"}""", result.At("metadata", "labels")!.ToJsonString());
        Assert.Equal("[]", result.At("spec", "template", "spec", "tolerations")!.ToJsonString());
        Assert.Equal(2, result.ObjectsAt("spec", "template", "spec", "containers").Count());
    }

    [Fact]
    public void StrategicMergeMergesContainersByNameAndKeepsOthers()
    {
        var result = Apply(PatchApplier.StrategicMergePatchType, """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
              "containers":[{"name":"web","image":"nginx:3","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}]}]}}}}
            """);

        var containers = result.ObjectsAt("spec", "template", "spec", "containers").ToList();
        Assert.Equal(["web", "sidecar"], containers.Select(c => c.StringAt("name")));
        Assert.Equal("nginx:3", containers[0].StringAt("image"));
        Assert.Equal("""[{"name":"A","value":"1"},{"name":"B","value":"20"},{"name":"C","value":"3"}]""", containers[0]["env"]!.ToJsonString());
        Assert.Equal(80, containers[0].ObjectsAt("ports").Single().LongAt("containerPort"));
    }

    [Fact]
    public void StrategicMergeDirectives()
    {
        var result = Apply(PatchApplier.StrategicMergePatchType, """
            {"metadata":{"labels":{"tier":null},"$deleteFromPrimitiveList/finalizers":["a"]},
             "spec":{"template":{"spec":{
               "containers":[{"name":"sidecar","$patch":"delete"},{"name":"web","volumeMounts":[{"mountPath":"/logs","name":"logs"}]}],
               "tolerations":[{"key":"y","operator":"Exists"}]}}}}
            """);

        Assert.Equal("""{"app":"web"}""", result.At("metadata", "labels")!.ToJsonString());
        Assert.Equal("[]", result.At("metadata", "finalizers")!.ToJsonString());
        var web = result.ObjectsAt("spec", "template", "spec", "containers").Single();
        Assert.Equal(["/data", "/logs"], web.ObjectsAt("volumeMounts").Select(m => m.StringAt("mountPath")));
        Assert.Equal("""[{"key":"y","operator":"Exists"}]""", result.At("spec", "template", "spec", "tolerations")!.ToJsonString());
    }

    [Fact]
    public void StrategicMergeReplaceAndRetainKeys()
    {
        var result = Apply(PatchApplier.StrategicMergePatchType, """
            {"metadata":{"labels":{"$patch":"replace","only":"this"}},
             "spec":{"$retainKeys":["template"],"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"solo","image":"x"}]}}}}
            """);

        Assert.Equal("""{"only":"this"}""", result.At("metadata", "labels")!.ToJsonString());
        Assert.Null(result.At("spec", "replicas"));
        Assert.Equal(["solo"], result.ObjectsAt("spec", "template", "spec", "containers").Select(c => c.StringAt("name")));
    }

    [Fact]
    public void StrategicMergeUnionsFinalizersAndDeletesByNull()
    {
        var result = Apply(PatchApplier.StrategicMergePatchType, """{"metadata":{"finalizers":["b","a"]},"spec":{"unschedulable":null}}""");

        Assert.Equal("""["a","b"]""", result.At("metadata", "finalizers")!.ToJsonString());
    }

    [Fact]
    public void ServicePortsMergeByPort()
    {
        var service = JsonNode.Parse("""{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""")!.AsObject();

        var result = PatchApplier.Apply(service, Encoding.UTF8.GetBytes("""{"spec":{"ports":[{"port":443,"targetPort":8443}]}}"""),
            PatchApplier.StrategicMergePatchType, CoreKinds.Services);

        Assert.Equal("""[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443}]""", result.At("spec", "ports")!.ToJsonString());
    }

    [Fact]
    public void ApplyPatchIsUnsupportedMediaType()
    {
        var error = Assert.Throws<ApiException>(() => Apply(PatchApplier.ApplyPatchType, "{}"));

        Assert.Equal(415, error.Code);
    }

    private static JsonObject Apply(string type, string patch) =>
        PatchApplier.Apply(Deployment.DeepClone().AsObject(), Encoding.UTF8.GetBytes(patch), type, CoreKinds.Pods);
}
