using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
using k8s.Models;

namespace ClusterManagement.Tests.Apps;

/// <summary>kubectl's ReplicaSet matching and revisions (pkg/util/deployment), and the SELECTOR text.</summary>
public sealed class DeploymentHistoryTests
{
    private static V1ReplicaSet Rs(string name, string? revision, string ownerUid, bool controller, DateTime created, string image) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = created,
            Annotations = revision is null ? null : new Dictionary<string, string> { ["deployment.kubernetes.io/revision"] = revision },
            OwnerReferences = [new V1OwnerReference { Uid = ownerUid, Controller = controller, Kind = "Deployment", Name = "web", ApiVersion = "apps/v1" }],
        },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = 1,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
            },
        },
    };

    [Fact]
    public void KeepsOnlyControllerOwnedSetsAndReadsMissingRevisionsAsZero()
    {
        var d = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "u1" },
            Spec = new V1DeploymentSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:2" }] },
                },
            },
        };
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var sets = new[]
        {
            Rs("a", "2", "u1", true, t0.AddMinutes(1), "nginx:2"),
            Rs("b", null, "u1", true, t0, "nginx:1"),
            Rs("c", "5", "other", true, t0, "nginx:2"),
            Rs("d", "6", "u1", false, t0, "nginx:2"),
            Rs("e", "3", "u1", true, t0.AddMinutes(2), "nginx:2"),
        };
        var owned = DeploymentHistory.Owned(d, sets);
        Assert.Equal(["a", "b", "e"], owned.Select(r => r.Metadata.Name));
        var revisions = DeploymentHistory.Revisions(d, owned);
        Assert.Equal([0L, 2, 3], revisions.Select(r => r.Revision));
        // The oldest set with the Deployment's template is the current one, as FindNewReplicaSet decides.
        Assert.Equal("a", revisions.Single(r => r.IsCurrent).ReplicaSet);
    }

    [Fact]
    public void FormatsSelectorsAsKubectlPrintsThem()
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "In", Values = ["prod", "dev"] },
                new V1LabelSelectorRequirement { Key = "canary", OperatorProperty = "DoesNotExist" },
            ],
        };
        Assert.Equal("app=web,!canary,env in (dev,prod),tier=front", LabelSelectorText.Format(selector));
        Assert.Equal("<none>", LabelSelectorText.Format(null));
    }
}
