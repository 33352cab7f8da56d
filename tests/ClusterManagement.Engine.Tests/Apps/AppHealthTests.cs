using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Apps;
using k8s.Models;

namespace ClusterManagement.Tests.Apps;

/// <summary>Healthy from the Deployment's status alone; from the pods, the reason most of the unhealthy ones share.</summary>
public sealed class AppHealthTests
{
    private static V1Deployment Deployment(int desired, int updated, int available, params V1DeploymentCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Generation = 1 },
        Spec = new V1DeploymentSpec { Replicas = desired },
        Status = new V1DeploymentStatus { ObservedGeneration = 1, Replicas = updated, UpdatedReplicas = updated, AvailableReplicas = available, Conditions = conditions },
    };

    private static V1Pod Pod(string name, string? waiting = null, string? message = null, int restarts = 0, int? lastExit = null, bool ready = false, bool terminating = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", DeletionTimestamp = terminating ? DateTime.UtcNow : null },
        Spec = new V1PodSpec { NodeName = "worker-1", Containers = [new V1Container { Name = "web", Image = "web:9.9" }] },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "web", Image = "web:9.9", ImageID = "", Ready = ready, RestartCount = restarts,
                    State = waiting is null
                        ? new V1ContainerState { Running = new V1ContainerStateRunning() }
                        : new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting, Message = message } },
                    LastState = lastExit is null ? null : new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = lastExit.Value, Reason = "Error" } },
                },
            ],
        },
    };

    [Theory]
    [InlineData(3, 3, 3, true)]
    [InlineData(0, 0, 0, true)]
    [InlineData(3, 2, 2, false)]
    [InlineData(3, 3, 2, false)]
    public void HealthyMeansEveryDesiredReplicaUpdatedAndAvailable(int desired, int updated, int available, bool healthy) =>
        Assert.Equal(healthy, AppHealth.IsHealthy(Deployment(desired, updated, available)));

    [Fact]
    public void AReplicaFailureOrAProgressDeadlineMakesItUnhealthyWhateverTheCounts()
    {
        var quota = new V1DeploymentCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = "pods \"web-1\" is forbidden: exceeded quota: q" };
        var deadline = new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"web-5d\" has timed out progressing." };

        Assert.False(AppHealth.IsHealthy(Deployment(1, 1, 1, quota)));
        Assert.Equal("FailedCreate: pods \"web-1\" is forbidden: exceeded quota: q", AppHealth.FailingCondition(Deployment(1, 1, 1, quota)));
        Assert.False(AppHealth.IsHealthy(Deployment(1, 1, 1, deadline)));
        Assert.Null(AppHealth.FailingCondition(Deployment(1, 1, 1, new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "NewReplicaSetAvailable" })));
    }

    [Fact]
    public void TheReasonIsTheOneMostUnhealthyPodsShareWithTheImage()
    {
        // The kubelet alternates ErrImagePull and ImagePullBackOff: one cause, named by its commonest status.
        var (pods, reason) = AppHealth.Assess(
        [
            Pod("web-a", "ErrImagePull", "failed to pull and unpack image \"web:9.9\": not found"),
            Pod("web-b", "ImagePullBackOff", "Back-off pulling image \"web:9.9\""),
            Pod("web-f", "ImagePullBackOff", "Back-off pulling image \"web:9.9\""),
            Pod("web-c", "CrashLoopBackOff", restarts: 4, lastExit: 1),
            Pod("web-d", ready: true),
            Pod("web-e", "ErrImagePull", terminating: true),
        ]);

        Assert.Equal(["web-a", "web-b", "web-c", "web-f"], pods.Select(p => p.Name));
        Assert.Equal((DiagnosisCause.ImagePullFailed, "ErrImagePull", "web:9.9", "worker-1"), (pods[0].Cause, pods[0].Reason, pods[0].Image, pods[0].Node));
        Assert.Equal("ImagePullBackOff on 3 of 5 pods: image \"web:9.9\" cannot be pulled", reason);
    }

    [Fact]
    public void ACrashLoopNamesTheContainerItsExitCodeAndRestarts()
    {
        var (pods, reason) = AppHealth.Assess([Pod("web-a", "CrashLoopBackOff", "back-off 40s restarting failed container", restarts: 4, lastExit: 137)]);

        Assert.Equal((DiagnosisCause.CrashLoop, 137, 4), (pods[0].Cause, pods[0].LastExitCode, pods[0].Restarts));
        Assert.Equal("CrashLoopBackOff on 1 of 1 pods: container \"web\" exited with code 137, 4 restarts", reason);
    }

    [Fact]
    public void ReadyPodsGiveNoReason()
    {
        var (pods, reason) = AppHealth.Assess([Pod("web-a", ready: true)]);

        Assert.Empty(pods);
        Assert.Null(reason);
    }

    [Fact]
    public void WithoutPodsAnUnhealthyAppSaysWhereItsRolloutStands()
    {
        var app = AppMapper.ToClusterApp(Deployment(3, 3, 2));

        Assert.False(app.Healthy);
        Assert.Null(app.UnhealthyPods);
        Assert.Equal("Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...", app.Reason);
    }
}
