using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Diagnostics;
using ClusterManagement.Events;
using k8s.Models;

namespace ClusterManagement.Tests.Diagnostics;

/// <summary>
/// From the states kubelet, scheduler and controllers leave (shaped as the emulator and a real cluster write
/// them) to the cause a failed rollout names, with its affected pods and evidence.
/// </summary>
public sealed class RolloutDiagnosisTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    private static V1Deployment Deployment(int replicas = 2, params V1DeploymentCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "d1" },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus { Conditions = conditions.Length == 0 ? null : conditions },
    };

    private static readonly V1ReplicaSet NewSet = new()
    {
        Metadata = new V1ObjectMeta { Name = "web-5d8f", NamespaceProperty = "default", Uid = "rs1" },
        Spec = new V1ReplicaSetSpec { Replicas = 2 },
    };

    private static V1DeploymentCondition Deadline() => new()
    {
        Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded", Message = "ReplicaSet \"web-5d8f\" has timed out progressing.",
    };

    private static V1Pod Pod(string name, V1ContainerStatus? status = null, bool withProbe = false, params V1PodCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "web", Image = "web:9.9", ReadinessProbe = withProbe ? new V1Probe { PeriodSeconds = 10 } : null }],
        },
        Status = new V1PodStatus
        {
            Phase = status is null ? "Pending" : "Running",
            Conditions = conditions.Length == 0 ? null : conditions,
            ContainerStatuses = status is null ? null : [status],
        },
    };

    private static V1ContainerStatus Waiting(string reason, string? message = null, int restarts = 0, V1ContainerStateTerminated? last = null) => new()
    {
        Name = "web", Image = "web:9.9", ImageID = "", Ready = false, RestartCount = restarts,
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
        LastState = last is null ? null : new V1ContainerState { Terminated = last },
    };

    private static V1ContainerStatus Running(bool ready) => new()
    {
        Name = "web", Image = "web:9.9", ImageID = "", Ready = ready, RestartCount = 0,
        State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now } },
    };

    private static ClusterEvent Event(string kind, string name, string reason, string message, int count = 1, string type = "Warning", int minutesAgo = 0) => new()
    {
        Name = $"{name}.{reason}", Namespace = "default", FirstSeen = Now.AddMinutes(-10), LastSeen = Now.AddMinutes(-minutesAgo), Count = count,
        Type = type == "Warning" ? ClusterEventType.Warning : ClusterEventType.Normal, Reason = reason, Object = $"{kind.ToLowerInvariant()}/{name}", Message = message,
        InvolvedObject = new ClusterEventObject { Kind = kind, Name = name, Namespace = "default" },
    };

    private const string PullError = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/web:9.9\": not found";

    [Fact]
    public void AnImageThatCannotBePulledIsNamedWithTheKubeletsError()
    {
        var pods = new[] { Pod("web-5d8f-a", Waiting("ErrImagePull", PullError)), Pod("web-5d8f-b", Waiting("ImagePullBackOff", "Back-off pulling image \"web:9.9\"")) };
        var events = new[]
        {
            Event("Pod", "web-5d8f-a", "Failed", $"Failed to pull image \"web:9.9\": {PullError}", 2),
            Event("Pod", "web-5d8f-b", "BackOff", "Back-off pulling image \"web:9.9\"", 3, "Normal"),
        };

        var d = RolloutDiagnosis.Of(Deployment(2, Deadline()), NewSet, pods, events);

        Assert.Equal(DiagnosisCause.ImagePullFailed, d.Cause);
        Assert.Equal($"image \"web:9.9\" cannot be pulled (ErrImagePull/ImagePullBackOff on 2 of 2 new pods): Failed to pull image \"web:9.9\": {PullError}", d.Summary);
        Assert.Equal(["web-5d8f-a", "web-5d8f-b"], d.Affected.Select(a => a.Name));
        Assert.Equal(["ErrImagePull", "ImagePullBackOff"], d.Affected.Select(a => a.State));
        Assert.Contains(d.Evidence, e => e is { Source: "Condition", Object: "deployment/web", Reason: "ProgressDeadlineExceeded" });
        Assert.Contains(d.Evidence, e => e is { Source: "ContainerState", Reason: "ErrImagePull" } && e.Message == PullError);
        Assert.Contains(d.Evidence, e => e is { Source: "Event", Reason: "Failed", Count: 2 });
        // A Normal event is not evidence of a failure.
        Assert.DoesNotContain(d.Evidence, e => e.Reason == "BackOff");
    }

    [Fact]
    public void ACrashLoopGivesTheLastExitCodeTerminationMessageAndRestarts()
    {
        var last = new V1ContainerStateTerminated { ExitCode = 3, Reason = "Error", Message = "config file /etc/web.yaml missing\n" };
        var pods = new[]
        {
            Pod("web-5d8f-a", Waiting("CrashLoopBackOff", "back-off 40s restarting failed container=web pod=web-5d8f-a_default(u1)", 4, last)),
            Pod("web-5d8f-b", Waiting("CrashLoopBackOff", "back-off 20s restarting failed container=web pod=web-5d8f-b_default(u2)", 2, last)),
        };

        var d = RolloutDiagnosis.Of(Deployment(2, Deadline()), NewSet, pods, []);

        Assert.Equal(DiagnosisCause.CrashLoop, d.Cause);
        Assert.Equal("container \"web\" keeps crashing (CrashLoopBackOff on 2 of 2 new pods, 4 restarts): last exit code 3: config file /etc/web.yaml missing", d.Summary);
        Assert.Equal(["CrashLoopBackOff (4 restarts)", "CrashLoopBackOff (2 restarts)"], d.Affected.Select(a => a.State));
        Assert.Contains(d.Evidence, e => e is { Source: "ContainerState", Reason: "CrashLoopBackOff", Count: 4 } && e.Message == "last exit code 3: config file /etc/web.yaml missing");
    }

    [Fact]
    public void AContainerThatExitedBeforeItsFirstBackOffIsACrashToo()
    {
        var crashed = new V1ContainerStatus
        {
            Name = "web", Image = "web:9.9", ImageID = "", Ready = false, RestartCount = 1,
            State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now } },
            LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "Error" } },
        };

        var d = RolloutDiagnosis.Of(Deployment(1), NewSet, [Pod("web-5d8f-a", crashed)], []);

        Assert.Equal(DiagnosisCause.CrashLoop, d.Cause);
        Assert.EndsWith("(Error on 1 of 1 new pods, 1 restart): last exit code 137", d.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnschedulablePodGivesTheSchedulersMessage()
    {
        const string fit = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
        var unscheduled = new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = fit };
        var pods = new[] { Pod("web-5d8f-a", null, false, unscheduled) };
        var events = new[] { Event("Pod", "web-5d8f-a", "FailedScheduling", fit, 3) };

        var d = RolloutDiagnosis.Of(Deployment(1, Deadline()), NewSet, pods, events);

        Assert.Equal(DiagnosisCause.Unschedulable, d.Cause);
        Assert.Equal($"1 of 1 new pods cannot be scheduled: {fit}", d.Summary);
        Assert.Equal("Pending (Unschedulable)", Assert.Single(d.Affected).State);
        Assert.Contains(d.Evidence, e => e is { Source: "Condition", Object: "pod/web-5d8f-a", Reason: "Unschedulable" } && e.Message == fit);
        Assert.Contains(d.Evidence, e => e is { Source: "Event", Reason: "FailedScheduling", Count: 3 });
    }

    [Fact]
    public void AQuotaRefusalOfMostReplicasIsTheCauseEvenWhenTheCreatedPodsAreOnlySlow()
    {
        const string refusal = "pods \"web-5d8f-x\" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2";
        var failure = new V1DeploymentCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate", Message = refusal };
        var events = new[]
        {
            Event("ReplicaSet", "web-5d8f", "FailedCreate", $"Error creating: {refusal}", 5),
            Event("ReplicaSet", "other-1", "FailedCreate", "Error creating: somebody else's", 1),
        };

        var d = RolloutDiagnosis.Of(Deployment(3, failure), NewSet, [Pod("web-5d8f-a", Waiting("ContainerCreating"))], events);

        Assert.Equal(DiagnosisCause.QuotaExceeded, d.Cause);
        Assert.Equal($"new pods are refused by a resource quota (2 of 3 not created): {refusal}", d.Summary);
        Assert.Equal(("ReplicaSet", "web-5d8f"), (Assert.Single(d.Affected).Kind, d.Affected[0].Name));
        Assert.Contains(d.Evidence, e => e is { Source: "Condition", Object: "deployment/web", Reason: "FailedCreate" });
        var created = Assert.Single(d.Evidence, e => e.Source == "Event");
        Assert.Equal(("replicaset/web-5d8f", 5), (created.Object, created.Count));
    }

    [Fact]
    public void AReadinessProbeThatFailsIsQuotedFromItsUnhealthyEvent()
    {
        var notReady = new V1PodCondition { Type = "Ready", Status = "False", Reason = "ContainersNotReady", Message = "containers with unready status: [web]" };
        var pods = new[] { Pod("web-5d8f-a", Running(false), true, notReady), Pod("web-5d8f-b", Running(false), true, notReady) };
        var events = new[]
        {
            Event("Pod", "web-5d8f-a", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 7, minutesAgo: 1),
            Event("Pod", "web-5d8f-b", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", 6, minutesAgo: 2),
        };

        var d = RolloutDiagnosis.Of(Deployment(2, Deadline()), NewSet, pods, events);

        Assert.Equal(DiagnosisCause.ReadinessProbeFailing, d.Cause);
        Assert.Equal("the readiness probe of container \"web\" fails (2 of 2 new pods not ready): Readiness probe failed: HTTP probe failed with statuscode: 503", d.Summary);
        // The same failure on two pods is one piece of evidence, the latest.
        var unhealthy = Assert.Single(d.Evidence, e => e.Source == "Event");
        Assert.Equal(("pod/web-5d8f-a", 7), (unhealthy.Object, unhealthy.Count));
    }

    [Fact]
    public void ARunningContainerWithoutAProbeIsOnItsWayNotFailing()
    {
        var notReady = new V1PodCondition { Type = "Ready", Status = "False", Reason = "ContainersNotReady", Message = "containers with unready status: [web]" };
        Assert.Null(PodHealth.Assess(Pod("web-5d8f-a", Running(false), false, notReady)));
        Assert.Null(PodHealth.Assess(Pod("web-5d8f-a", Waiting("ContainerCreating"))));
        Assert.Null(PodHealth.Assess(Pod("web-5d8f-a", Running(true), true, new V1PodCondition { Type = "Ready", Status = "True" })));
    }

    [Fact]
    public void AnUnknownWaitingReasonIsKeptAsTheKubeletWroteIt()
    {
        var problem = PodHealth.Assess(Pod("web-5d8f-a", Waiting("CreateContainerConfigError", "secret \"db\" not found")));
        Assert.Equal((DiagnosisCause.Unknown, "CreateContainerConfigError", "secret \"db\" not found"), (problem!.Cause, problem.Reason, problem.Message));
    }

    [Fact]
    public void TheCauseMostNewPodsShareWins()
    {
        var last = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error" };
        var unscheduled = new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 Insufficient cpu." };
        var pods = new[]
        {
            Pod("web-5d8f-a", null, false, unscheduled),
            Pod("web-5d8f-b", Waiting("CrashLoopBackOff", "back-off", 2, last)),
            Pod("web-5d8f-c", Waiting("CrashLoopBackOff", "back-off", 1, last)),
        };

        var d = RolloutDiagnosis.Of(Deployment(3), NewSet, pods, []);

        Assert.Equal(DiagnosisCause.CrashLoop, d.Cause);
        Assert.Equal(["web-5d8f-b", "web-5d8f-c"], d.Affected.Select(a => a.Name));
    }

    [Fact]
    public void NoKnownCauseIsUnknownWithTheDeploymentsConditionAsEvidence()
    {
        var pods = new[] { Pod("web-5d8f-a", Running(true), false, new V1PodCondition { Type = "Ready", Status = "True" }) };

        var d = RolloutDiagnosis.Of(Deployment(1, Deadline()), NewSet, pods, [Event("Pod", "unrelated", "Failed", "not ours")]);

        Assert.Equal(DiagnosisCause.Unknown, d.Cause);
        Assert.Equal("no new pod shows a known cause (1 of 1 new pods ready)", d.Summary);
        Assert.Empty(d.Affected);
        Assert.Equal("ProgressDeadlineExceeded", Assert.Single(d.Evidence).Reason);
    }
}
