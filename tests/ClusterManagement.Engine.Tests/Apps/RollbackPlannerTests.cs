using System.Text.Json.Nodes;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Diagnostics;
using k8s.Models;

namespace ClusterManagement.Tests.Apps;

/// <summary>kubectl rollout undo's target choice, refusals and patch (pkg/polymorphichelpers/rollback.go).</summary>
public sealed class RollbackPlannerTests
{
    private const string Uid = "d-uid";

    private static V1PodTemplateSpec Template(string image, string? hash = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Labels = hash is null ? new Dictionary<string, string> { ["app"] = "web" } : new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = hash },
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    private static V1ReplicaSet Rs(string name, long revision, string image, Dictionary<string, string>? annotations = null)
    {
        var all = new Dictionary<string, string>(annotations ?? []) { ["deployment.kubernetes.io/revision"] = revision.ToString() };
        return new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = all,
                OwnerReferences = [new V1OwnerReference { Uid = Uid, Controller = true, Kind = "Deployment", Name = "web", ApiVersion = "apps/v1" }],
            },
            Spec = new V1ReplicaSetSpec { Template = Template(image, name.Split('-')[^1]) },
        };
    }

    private static V1Deployment Deployment(string image, bool paused = false, Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = Uid, Annotations = annotations },
        Spec = new V1DeploymentSpec { Template = Template(image), Paused = paused, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
    };

    private static readonly V1ReplicaSet[] History =
    [
        Rs("web-aaa", 1, "nginx:1", new() { ["kubernetes.io/change-cause"] = "first" }),
        Rs("web-bbb", 3, "nginx:3"),
        Rs("web-ccc", 2, "nginx:2", new() { ["kubernetes.io/change-cause"] = "second", ["team"] = "blue" }),
    ];

    [Fact]
    public void DefaultsToTheSecondHighestRevision()
    {
        var plan = RollbackPlanner.Plan(Deployment("nginx:3"), History, 0);
        Assert.Equal(2, plan.TargetRevision);
        Assert.Equal("web-ccc", plan.Target.Metadata.Name);
    }

    [Fact]
    public void BuildsKubectlsJsonPatchWithoutTheHashLabelAndWithTheTargetsAnnotations()
    {
        var deployment = Deployment("nginx:3", annotations: new()
        {
            ["deployment.kubernetes.io/revision"] = "3",
            ["kubernetes.io/change-cause"] = "third",
            ["kubectl.kubernetes.io/last-applied-configuration"] = "{}",
            ["other"] = "dropped",
        });
        var plan = RollbackPlanner.Plan(deployment, History, 2);

        var ops = JsonNode.Parse(plan.Patch!)!.AsArray();
        Assert.Equal(2, ops.Count);
        Assert.Equal("replace", ops[0]!["op"]!.GetValue<string>());
        Assert.Equal("/spec/template", ops[0]!["path"]!.GetValue<string>());
        Assert.Equal("nginx:2", ops[0]!["value"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Null(ops[0]!["value"]!["metadata"]!["labels"]!["pod-template-hash"]);
        Assert.Equal("/metadata/annotations", ops[1]!["path"]!.GetValue<string>());
        var annotations = ops[1]!["value"]!.AsObject();
        Assert.Equal("3", annotations["deployment.kubernetes.io/revision"]!.GetValue<string>());
        Assert.Equal("{}", annotations["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
        Assert.Equal("second", annotations["kubernetes.io/change-cause"]!.GetValue<string>());
        Assert.Equal("blue", annotations["team"]!.GetValue<string>());
        Assert.False(annotations.ContainsKey("other"));
    }

    [Fact]
    public void MissingRevisionAndNoHistoryUseKubectlsMessages()
    {
        var missing = Assert.Throws<ClusterException>(() => RollbackPlanner.Plan(Deployment("nginx:3"), History, 9));
        Assert.Equal("unable to find specified revision 9 in history", missing.Message);
        Assert.Equal(ClusterErrorKind.NotFound, missing.Kind);

        var none = Assert.Throws<ClusterException>(() => RollbackPlanner.Plan(Deployment("nginx:1"), [History[0]], 0));
        Assert.Equal("no rollout history found for deployment \"web\"", none.Message);
    }

    [Fact]
    public void RefusesAPausedDeploymentOnceTheRevisionIsFound()
    {
        var paused = Assert.Throws<ClusterException>(() => RollbackPlanner.Plan(Deployment("nginx:3", paused: true), History, 1));
        Assert.Equal("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again", paused.Message);
        // kubectl looks the revision up first, so a missing one wins over the pause.
        Assert.Equal("AppRevisionNotFound", Assert.Throws<ClusterException>(() => RollbackPlanner.Plan(Deployment("nginx:3", paused: true), History, 9)).ErrorId);
    }

    [Fact]
    public void SkipsWhenTheTemplateAlreadyMatchesIgnoringTheHashLabel()
    {
        var plan = RollbackPlanner.Plan(Deployment("nginx:3"), History, 3);
        Assert.Null(plan.Patch);
        Assert.Equal("skipped rollback (current template already matches revision 3)", plan.SkipMessage);
    }
}
