using ClusterManagement.Engine.Manifests;
using k8s.Models;

namespace ClusterManagement.Engine.Tests.Manifests;

/// <summary>kubectl rollout status's rules: during an update the old pods are still ready, which alone must not end a wait.</summary>
public sealed class RolloutCompletionTests
{
    private static V1DaemonSet DaemonSet(long generation, long observed, int desired, int updated, int available, int ready) => new()
    {
        Metadata = new V1ObjectMeta { Name = "csi-node", Generation = generation },
        Status = new V1DaemonSetStatus
        {
            ObservedGeneration = observed, DesiredNumberScheduled = desired, CurrentNumberScheduled = desired,
            UpdatedNumberScheduled = updated, NumberAvailable = available, NumberReady = ready, NumberMisscheduled = 0,
        },
    };

    [Fact]
    public void DaemonSetIsNotDoneWhileOldPodsAreTheReadyOnes()
    {
        Assert.False(RolloutCompletion.IsComplete(DaemonSet(2, 2, desired: 3, updated: 1, available: 3, ready: 3)));
        Assert.False(RolloutCompletion.IsComplete(DaemonSet(2, 1, desired: 3, updated: 3, available: 3, ready: 3)));
        Assert.False(RolloutCompletion.IsComplete(DaemonSet(2, 2, desired: 3, updated: 3, available: 2, ready: 3)));
        Assert.True(RolloutCompletion.IsComplete(DaemonSet(2, 2, desired: 3, updated: 3, available: 3, ready: 3)));
        Assert.False(RolloutCompletion.IsComplete(new V1DaemonSet { Metadata = new V1ObjectMeta { Generation = 1 } }));
    }

    private static V1StatefulSet StatefulSet(int replicas, int ready, int updated, string current, string update, int? partition = null, string strategy = "RollingUpdate") => new()
    {
        Metadata = new V1ObjectMeta { Name = "csi-controller", Generation = 3 },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = strategy, RollingUpdate = partition is null ? null : new V1RollingUpdateStatefulSetStrategy { Partition = partition } },
        },
        Status = new V1StatefulSetStatus { ObservedGeneration = 3, Replicas = replicas, ReadyReplicas = ready, UpdatedReplicas = updated, CurrentRevision = current, UpdateRevision = update },
    };

    [Fact]
    public void StatefulSetWaitsForTheUpdateRevisionOrThePartition()
    {
        Assert.False(RolloutCompletion.IsComplete(StatefulSet(3, 3, 1, "c-1", "c-2")));
        Assert.False(RolloutCompletion.IsComplete(StatefulSet(3, 2, 3, "c-2", "c-2")));
        Assert.True(RolloutCompletion.IsComplete(StatefulSet(3, 3, 3, "c-2", "c-2")));
        Assert.False(RolloutCompletion.IsComplete(StatefulSet(3, 3, 1, "c-1", "c-2", partition: 1)));
        Assert.True(RolloutCompletion.IsComplete(StatefulSet(3, 3, 2, "c-1", "c-2", partition: 1)));
        Assert.True(RolloutCompletion.IsComplete(StatefulSet(3, 3, 0, "c-1", "c-2", strategy: "OnDelete")));
    }
}
