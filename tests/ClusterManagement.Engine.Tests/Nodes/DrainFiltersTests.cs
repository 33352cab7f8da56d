using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using k8s.Models;

namespace ClusterManagement.Tests.Nodes;

public sealed class DrainFiltersTests
{
    private static readonly DrainOptions NoFlags = new();
    private static readonly DrainOptions AllFlags = new() { IgnoreDaemonSets = true, DeleteEmptyDirData = true, DeleteUnmanagedPods = true };

    private static V1Pod Pod(string? ownerKind = "ReplicaSet", bool emptyDir = false, bool mirror = false, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "p",
            NamespaceProperty = "default",
            OwnerReferences = ownerKind is null ? null : [new V1OwnerReference { ApiVersion = "apps/v1", Kind = ownerKind, Name = "owner", Uid = "uid-1", Controller = true }],
            Annotations = mirror ? new Dictionary<string, string> { [DrainFilters.MirrorAnnotation] = "x" } : null,
        },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "c" }],
            Volumes = emptyDir ? [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }] : null,
        },
        Status = new V1PodStatus { Phase = phase },
    };

    private static DrainFilters.DaemonSetProblem? Exists(string ns, string name) => null;

    [Fact]
    public void AReplicaSetPodIsEvictedWithoutComment()
    {
        var status = DrainFilters.Classify(Pod(), NoFlags, Exists);
        Assert.Equal(DrainAction.Evict, status.Action);
        Assert.Null(status.Reason);
    }

    [Theory]
    [InlineData("DaemonSet", false, false, DrainFilters.DaemonSetFatal)]
    [InlineData("ReplicaSet", true, false, DrainFilters.LocalStorageFatal)]
    [InlineData(null, false, false, DrainFilters.UnmanagedFatal)]
    public void WithoutFlagsKubectlRefuses(string? owner, bool emptyDir, bool mirror, string reason)
    {
        var status = DrainFilters.Classify(Pod(owner, emptyDir, mirror), NoFlags, Exists);
        Assert.Equal(DrainAction.Block, status.Action);
        Assert.Equal(reason, status.Reason);
    }

    [Fact]
    public void TheFlagsTurnRefusalsIntoWarnings()
    {
        Assert.Equal((DrainAction.Skip, DrainFilters.DaemonSetWarning), Outcome(Pod("DaemonSet"), AllFlags));
        Assert.Equal((DrainAction.Evict, DrainFilters.UnmanagedWarning), Outcome(Pod(null), AllFlags));
        // kubectl keeps only the last filter's verdict: an emptyDir pod with a controller ends "Okay".
        Assert.Equal((DrainAction.Evict, (string?)null), Outcome(Pod("ReplicaSet", emptyDir: true), AllFlags));
        Assert.Equal((DrainAction.Evict, DrainFilters.UnmanagedWarning), Outcome(Pod(null, emptyDir: true), AllFlags));
    }

    [Fact]
    public void MirrorPodsAreAlwaysLeftAndTheDaemonSetCheckComesFirst()
    {
        Assert.Equal((DrainAction.Skip, DrainFilters.MirrorSkip), Outcome(Pod("Node", mirror: true), NoFlags));
        Assert.Equal((DrainAction.Block, DrainFilters.DaemonSetFatal), Outcome(Pod("DaemonSet", emptyDir: true), NoFlags));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void FinishedPodsPassEveryCheckButTheMirror(string phase)
    {
        Assert.Equal(DrainAction.Evict, DrainFilters.Classify(Pod("DaemonSet", phase: phase), NoFlags, Exists).Action);
        Assert.Equal(DrainAction.Evict, DrainFilters.Classify(Pod(null, emptyDir: true, phase: phase), NoFlags, Exists).Action);
    }

    [Fact]
    public void AnOrphanOfADeletedDaemonSetGoesOnlyWithDeleteUnmanagedPods()
    {
        var missing = new DrainFilters.DaemonSetProblem("daemonsets.apps \"owner\" not found", NotFound: true);
        Assert.Equal((DrainAction.Block, missing.Message), Outcome(Pod("DaemonSet"), NoFlags with { IgnoreDaemonSets = true }, missing));
        // Evicted; its warning is overwritten by the later filters' Okay, as in kubectl.
        Assert.Equal((DrainAction.Evict, (string?)null), Outcome(Pod("DaemonSet"), NoFlags with { DeleteUnmanagedPods = true }, missing));
        var forbidden = new DrainFilters.DaemonSetProblem("forbidden", NotFound: false);
        Assert.Equal(DrainAction.Block, Outcome(Pod("DaemonSet"), AllFlags, forbidden).Action);
    }

    private static (DrainAction Action, string? Reason) Outcome(V1Pod pod, DrainOptions options, DrainFilters.DaemonSetProblem? problem = null)
    {
        var status = DrainFilters.Classify(pod, options, (_, _) => problem);
        return (status.Action, status.Reason);
    }
}
