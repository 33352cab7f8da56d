using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;
using k8s.Models;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>kubeadm's upgrade order and the version skew policy as Update-ClusterNode and Get-ClusterUpgradePlan apply them.</summary>
public sealed class KubernetesUpgradeRulesTests
{
    private static readonly KubernetesVersion V131 = new(1, 31, 4);
    private static readonly KubernetesVersion V132 = new(1, 32, 4);
    private static readonly KubernetesVersion V133 = new(1, 33, 1);

    /// <summary>What the fleet's repository offers: three consecutive minors, one with two patches.</summary>
    private static readonly KubernetesVersion[] Offered = [new(1, 33, 1), new(1, 32, 5), V132, V131];

    [Theory]
    [InlineData("1.32", "v1.32.5")]
    [InlineData("v1.32", "v1.32.5")]
    [InlineData("1.32.4", "v1.32.4")]
    [InlineData("v1.33.1", "v1.33.1")]
    [InlineData("latest", "v1.32.5")]
    [InlineData("LATEST", "v1.32.5")]
    public void ARequestMeansTheNewestOfferedReleaseItNames(string requested, string expected) =>
        Assert.Equal(expected, UpgradeRules.ResolveTarget(KubernetesVersion.ParseRequest(requested), V131, Offered, "cp-1").ToString());

    [Fact]
    public void LatestOnTheNewestMinorIsItsNewestPatchOrTheClusterItself()
    {
        Assert.Equal(V133, UpgradeRules.ResolveTarget(KubernetesVersion.ParseRequest("latest"), new(1, 33, 0), Offered, "cp-1"));
        Assert.Equal(V133, UpgradeRules.ResolveTarget(KubernetesVersion.ParseRequest("latest"), V133, Offered, "cp-1"));
    }

    [Fact]
    public void AReleaseTheSourcesDoNotOfferIsRefusedWithWhatTheyOffer()
    {
        var error = Assert.Throws<ClusterException>(() => UpgradeRules.ResolveTarget(KubernetesVersion.ParseRequest("1.34"), V131, Offered, "cp-1"));
        Assert.Equal("PackageVersionNotAvailable", error.ErrorId);
        Assert.Contains("1.33.1, 1.32.5, 1.32.4, 1.31.4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.32; touch /tmp/x")]
    [InlineData("$(id)")]
    [InlineData("1.32.4-1.1")]
    [InlineData("1")]
    [InlineData("-1.32")]
    [InlineData("1.32.4 --ignore-preflight-errors=all")]
    public void AnythingButAVersionIsRefusedBeforeAnyHostIsContacted(string requested)
    {
        var error = Assert.Throws<ClusterException>(() => KubernetesVersion.ParseRequest(requested));
        Assert.Equal("KubernetesVersionInvalid", error.ErrorId);
        Assert.Equal(ClusterErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData("v1.32.4", "v1.32.4")]
    [InlineData("v1.32.4-eks-1", "v1.32.4")]
    [InlineData("1.32.4", "v1.32.4")]
    public void ReportedVersionsParse(string reported, string expected) => Assert.Equal(expected, KubernetesVersion.ParseReported(reported)?.ToString());

    [Theory]
    [InlineData("1.32.4-1.1", "v1.32.4")]
    [InlineData("1.33.1-150500.1.1", "v1.33.1")]
    public void APackageVersionCarriesItsRelease(string package, string expected) => Assert.Equal(expected, KubernetesVersion.FromPackage(package)?.ToString());

    [Fact]
    public void ARequestThatSkipsAMinorGetsTheSequenceToRun()
    {
        var sequence = UpgradeRules.Sequence(V131, V133, Offered, "cp-1");

        Assert.Equal(["v1.32.5", "v1.33.1"], sequence.Select(v => v.ToString()));
        var error = UpgradeRules.SkipsMinors(V131, sequence);
        Assert.Equal("KubernetesUpgradeSkipsMinor", error.ErrorId);
        Assert.Contains("Run -KubernetesVersion 1.32.5, then 1.33.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMinorInBetweenThatTheSourcesLackIsNamed()
    {
        var error = Assert.Throws<ClusterException>(() => UpgradeRules.Sequence(V131, V133, [V133, V131], "cp-1"));
        Assert.Equal("PackageVersionNotAvailable", error.ErrorId);
        Assert.Contains("1.32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlPlanesComeFirstTheFirstAppliesTheOthersFollowThenWorkers()
    {
        var nodes = new[] { Node("worker-2", false, V131), Node("cp-2", true, V131), Node("worker-1", false, V132), Node("cp-1", true, V131) };

        var steps = UpgradeRules.Steps(nodes, V131, V132);

        Assert.Equal(["cp-1 ControlPlaneApply", "cp-2 ControlPlaneNode", "worker-1 None", "worker-2 Worker"], steps.Select(s => $"{s.Node.Name} {s.Step}"));
    }

    [Fact]
    public void AReRunAfterTheApplyOnlyRunsUpgradeNodeAndFinishesANodeItLeftCordoned()
    {
        var nodes = new[] { Node("cp-1", true, V132), Node("cp-2", true, V131), Node("worker-1", false, V132, leftCordoned: true), Node("worker-2", false, V132) };

        var steps = UpgradeRules.Steps(nodes, V132, V132);

        Assert.Equal(["cp-1 None", "cp-2 ControlPlaneNode", "worker-1 Worker", "worker-2 None"], steps.Select(s => $"{s.Node.Name} {s.Step}"));
    }

    [Fact]
    public void AWorkerWaitsForItsControlPlanesAndNoKubeletIsNewerThanTheApiServer()
    {
        var worker = Node("worker-1", false, V131);
        Assert.Contains(UpgradeRules.Blockers(worker, NodeUpgradeStep.Worker, V131, V132, controlPlanesInRun: false, []), b => b.Contains("upgrade the control planes first", StringComparison.Ordinal));
        Assert.Empty(UpgradeRules.Blockers(worker, NodeUpgradeStep.Worker, V131, V132, controlPlanesInRun: true, []));
        Assert.Contains(UpgradeRules.Blockers(Node("worker-1", false, V133), NodeUpgradeStep.None, V132, V133, true, []), b => b.Contains("newer than the API server", StringComparison.Ordinal));
    }

    [Fact]
    public void OneMinorAtATimeAndNoDowngrade()
    {
        Assert.Contains(UpgradeRules.Blockers(Node("cp-1", true, V131), NodeUpgradeStep.ControlPlaneApply, V131, V133, true, []), b => b.Contains("skips a minor", StringComparison.Ordinal));
        Assert.Contains(UpgradeRules.Blockers(Node("worker-1", false, V133), NodeUpgradeStep.None, V133, V132, true, []), b => b.Contains("does not downgrade", StringComparison.Ordinal));
    }

    [Fact]
    public void TheApplyIsBlockedByAKubeletItWouldLeaveMoreThanThreeMinorsBehind()
    {
        var old = Node("worker-9", false, new(1, 29, 0));
        var blockers = UpgradeRules.Blockers(Node("cp-1", true, V132), NodeUpgradeStep.ControlPlaneApply, V132, V133, true, [old, Node("worker-1", false, new(1, 30, 2))]);

        Assert.Equal(["after the upgrade worker-9's kubelet v1.29.0 would be more than 3 minors older than the API server v1.33.1: upgrade it first"], blockers);
    }

    [Fact]
    public void ANotReadyNodeIsBlockedUnlessAFailedRunLeftItSo()
    {
        Assert.Contains(UpgradeRules.Blockers(Node("worker-1", false, V131, ready: false), NodeUpgradeStep.Worker, V132, V132, true, []), b => b.Contains("NotReady", StringComparison.Ordinal));
        Assert.Empty(UpgradeRules.Blockers(Node("worker-1", false, V131, ready: false, leftCordoned: true), NodeUpgradeStep.Worker, V132, V132, true, []));
    }

    [Fact]
    public void ABudgetSelectsByLabelsAndExpressionsAsTheApiServerDoes()
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" };
        Assert.True(DisruptionBudgets.Selects(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, labels));
        Assert.False(DisruptionBudgets.Selects(new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } }, labels));
        Assert.True(DisruptionBudgets.Selects(new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["front", "back"] }] }, labels));
        Assert.False(DisruptionBudgets.Selects(new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "NotIn", Values = ["front"] }] }, labels));
        Assert.True(DisruptionBudgets.Selects(new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "zone", OperatorProperty = "DoesNotExist" }] }, labels));
        Assert.True(DisruptionBudgets.Selects(new V1LabelSelector(), labels));
        Assert.False(DisruptionBudgets.Selects(null, labels));
    }

    [Theory]
    [InlineData("kubelet-0:1.32.4-150500.1.1.*", "kubelet")]
    [InlineData("cri-tools-0:1.31.1-1.1.*", "cri-tools")]
    public void ADnfVersionLockNamesItsPackage(string entry, string expected) => Assert.Equal(expected, PackageVersions.LockedName(entry));

    [Fact]
    public void KubeadmsJsonVersionIsRead()
    {
        Assert.Equal("v1.31.4", KubernetesUpgradePlanner.KubeadmGitVersion("""{"clientVersion":{"major":"1","minor":"31","gitVersion":"v1.31.4"}}"""));
        Assert.Null(KubernetesUpgradePlanner.KubeadmGitVersion("kubeadm: command not found"));
    }

    private static UpgradeNodeState Node(string name, bool controlPlane, KubernetesVersion kubelet, bool ready = true, bool leftCordoned = false) => new(name, controlPlane, kubelet, ready, leftCordoned);
}
