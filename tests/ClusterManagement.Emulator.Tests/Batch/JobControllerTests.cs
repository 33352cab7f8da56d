using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Batch;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Batch;

/// <summary>
/// Jobs as kube-controller-manager's job controller (pkg/controller/job/job_controller.go) runs them, on pods
/// whose containers run their command to completion (sleep N, exit N).
/// </summary>
public sealed class JobControllerTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static JsonObject Job(string name, string command, string restartPolicy = "Never", string extraSpec = "")
    {
        var spec = JsonNode.Parse("{" + extraSpec.TrimEnd(',') + "}")!.AsObject();
        spec["template"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["restartPolicy"] = restartPolicy,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "work", ["image"] = "busybox:1.36", ["command"] = new JsonArray("sh", "-c"), ["args"] = new JsonArray(command),
                }),
            },
        };
        return new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    private async Task<JsonObject> CreateAsync(string ns, JsonObject job)
    {
        var (status, body) = await fixture.Admin.PostAsync($"/apis/batch/v1/namespaces/{ns}/jobs", job);
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        return body!.AsObject();
    }

    private async Task<string> NamespaceAsync(string name)
    {
        Assert.Equal(HttpStatusCode.Created, (await fixture.Admin.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } })).Status);
        return name;
    }

    private JsonObject? Stored(string ns, string name) => fixture.Emulator.Store.Get(GeneratedObjectKindsModule.Jobs, ns, name);

    private List<JsonObject> PodsOf(string ns, string job) =>
        [.. fixture.Emulator.Store.List(CoreKinds.Pods, ns).Items.Select(p => p.ToJson()).Where(p => p.StringAt("metadata", "labels", "job-name") == job)];

    private List<JsonObject> EventsOf(string ns, string name) =>
        [.. fixture.Emulator.Store.List(CoreKinds.Events, ns).Items.Select(e => e.ToJson()).Where(e => e.StringAt("involvedObject", "name") == name)];

    private static List<string> ConditionTypes(JsonObject job) => [.. job.ObjectsAt("status", "conditions").Select(c => $"{c.StringAt("type")}/{c.StringAt("reason")}")];

    [Fact]
    public async Task AJobGetsItsSelectorRunsAPodToCompletionAndCompletes()
    {
        var ns = await NamespaceAsync("job-complete");
        var created = await CreateAsync(ns, Job("once", "sleep 1"));
        var uid = created.StringAt("metadata", "uid")!;
        Assert.Equal(uid, created.StringAt("spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"));
        Assert.Equal((1L, 1L, 6L, "NonIndexed", false, "TerminatingOrFailed"), (created.LongAt("spec", "completions"), created.LongAt("spec", "parallelism"),
            created.LongAt("spec", "backoffLimit"), created.StringAt("spec", "completionMode"), created.BoolAt("spec", "suspend"), created.StringAt("spec", "podReplacementPolicy")));
        Assert.Equal("once", created.StringAt("metadata", "labels", "batch.kubernetes.io/job-name"));

        var pod = Assert.Single(await Eventually.ReturnsAsync(() => PodsOf(ns, "once") is { Count: > 0 } p ? p : null, "the Job's pod"));
        Assert.Equal((uid, "once", uid), (pod.StringAt("metadata", "labels", "batch.kubernetes.io/controller-uid"), pod.StringAt("metadata", "labels", "batch.kubernetes.io/job-name"), pod.StringAt("metadata", "labels", "controller-uid")));
        var owner = Assert.Single(pod.ObjectsAt("metadata", "ownerReferences"));
        Assert.Equal(("Job", "once", uid, true), (owner.StringAt("kind"), owner.StringAt("name"), owner.StringAt("uid"), owner.BoolAt("controller")));
        Assert.Equal("""["batch.kubernetes.io/job-tracking"]""", pod.At("metadata", "finalizers")!.ToJsonString());
        await Eventually.IsTrueAsync(() => Stored(ns, "once").LongAt("status", "active") == 1, "active 1");

        var job = await Eventually.ReturnsAsync(() => Stored(ns, "once") is { } j && JobSync.Finished(j) ? j : null, "the Job to finish");
        Assert.Equal(["SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached"], ConditionTypes(job));
        Assert.Equal((1L, (long?)null, 0L), (job.LongAt("status", "succeeded"), job.LongAt("status", "active"), job.LongAt("status", "ready")));
        Assert.NotNull(job.StringAt("status", "completionTime"));
        var done = Assert.Single(PodsOf(ns, "once"));
        Assert.Equal("Succeeded", done.StringAt("status", "phase"));
        var terminated = done.ObjectsAt("status", "containerStatuses").Single().At("state", "terminated");
        Assert.Equal(("Completed", 0L), (terminated.StringAt("reason"), terminated.LongAt("exitCode")));
        await Eventually.IsTrueAsync(() => PodsOf(ns, "once").Single().At("metadata", "finalizers") is null, "the counted pod loses the tracking finalizer");
        var scheduled = Assert.Single(EventsOf(ns, done.Name()), e => e.StringAt("reason") == "Scheduled");
        Assert.Equal(($"Successfully assigned {ns}/{done.Name()} to {done.StringAt("spec", "nodeName")}", "default-scheduler"),
            (scheduled.StringAt("message"), scheduled.StringAt("reportingComponent")));
        Assert.Equal(["Normal SuccessfulCreate Created pod: " + done.Name(), "Normal Completed Job completed"],
            EventsOf(ns, "once").Select(e => $"{e.StringAt("type")} {e.StringAt("reason")} {e.StringAt("message")}").ToList());
    }

    [Fact]
    public async Task ParallelismBoundsTheActivePodsUntilTheCompletionsAreReached()
    {
        var ns = await NamespaceAsync("job-parallel");
        await CreateAsync(ns, Job("three", "sleep 1", extraSpec: "\"completions\":3,\"parallelism\":2,"));

        await Eventually.IsTrueAsync(() => PodsOf(ns, "three").Count == 2, "two pods at once");
        Assert.True((Stored(ns, "three").LongAt("status", "active") ?? 0) <= 2);
        var job = await Eventually.ReturnsAsync(() => Stored(ns, "three") is { } j && JobSync.Finished(j) ? j : null, "the Job to finish", 20);
        Assert.Equal(3, job.LongAt("status", "succeeded"));
        Assert.Equal(3, PodsOf(ns, "three").Count);
    }

    [Fact]
    public async Task APodThatFailsPastTheBackoffLimitFailsTheJob()
    {
        var ns = await NamespaceAsync("job-backoff");
        await CreateAsync(ns, Job("fails", "exit 3", extraSpec: "\"backoffLimit\":0,"));

        var job = await Eventually.ReturnsAsync(() => Stored(ns, "fails") is { } j && JobSync.Finished(j) ? j : null, "the Job to fail");
        Assert.Equal(["FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded"], ConditionTypes(job));
        Assert.Equal("Job has reached the specified backoff limit", job.ObjectsAt("status", "conditions").Last().StringAt("message"));
        Assert.Equal(1, job.LongAt("status", "failed"));
        Assert.Null(job.StringAt("status", "completionTime"));
        var pod = Assert.Single(PodsOf(ns, "fails"));
        var terminated = pod.ObjectsAt("status", "containerStatuses").Single().At("state", "terminated");
        Assert.Equal(("Failed", 3L, "Error"), (pod.StringAt("status", "phase"), terminated.LongAt("exitCode"), terminated.StringAt("reason")));
        var warning = EventsOf(ns, "fails").Single(e => e.StringAt("type") == "Warning");
        Assert.Equal(("BackoffLimitExceeded", "Job has reached the specified backoff limit"), (warning.StringAt("reason"), warning.StringAt("message")));
    }

    [Fact]
    public async Task WithOnFailureTheContainerRestartsInPlaceAndItsRestartsCountAgainstTheLimit()
    {
        var ns = await NamespaceAsync("job-onfailure");
        await CreateAsync(ns, Job("restarts", "exit 1", restartPolicy: "OnFailure", extraSpec: "\"backoffLimit\":1,"));

        var job = await Eventually.ReturnsAsync(() => Stored(ns, "restarts") is { } j && JobSync.Finished(j) ? j : null, "the Job to fail");
        Assert.Equal(["FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded"], ConditionTypes(job));
        Assert.Equal(1, job.LongAt("status", "failed"));
        Assert.Empty(PodsOf(ns, "restarts"));
        Assert.Contains(EventsOf(ns, "restarts"), e => e.StringAt("reason") == "SuccessfulDelete");
    }

    [Fact]
    public async Task AnOnFailurePodWhoseContainerKeepsFailingShowsCrashLoopBackOffWhileItsJobRuns()
    {
        var ns = await NamespaceAsync("job-crashloop");
        await CreateAsync(ns, Job("loops", "exit 2", restartPolicy: "OnFailure"));

        var pod = await Eventually.ReturnsAsync(
            () => PodsOf(ns, "loops").FirstOrDefault(p => p.ObjectsAt("status", "containerStatuses").Any(c => c.StringAt("state", "waiting", "reason") == "CrashLoopBackOff")),
            "the container in CrashLoopBackOff");
        var container = pod.ObjectsAt("status", "containerStatuses").Single();
        var last = container.ObjectAt("lastState").ObjectAt("terminated");
        Assert.Equal(("Running", 2L, "Error"), (pod.StringAt("status", "phase"), last.LongAt("exitCode"), last.StringAt("reason")));
        Assert.True(container.LongAt("restartCount") >= 1);
        Assert.Matches($@"^back-off (10|20|40)s restarting failed container=work pod={pod.Name()}_{ns}\(", container.StringAt("state", "waiting", "message"));
        Assert.Contains(EventsOf(ns, pod.Name()), e => e.StringAt("reason") == "BackOff" && e.StringAt("message")!.StartsWith("Back-off restarting failed container work in pod ", StringComparison.Ordinal));
        Assert.Single(PodsOf(ns, "loops"));
        Assert.False(JobSync.Finished(Stored(ns, "loops")!));
    }

    [Fact]
    public async Task AJobActiveLongerThanItsDeadlineFails()
    {
        var ns = await NamespaceAsync("job-deadline");
        // The deadline leaves room for the scheduler's binding and the kubelet's pod-ready delay on a busy machine.
        await CreateAsync(ns, Job("forever", "sleep infinity", extraSpec: "\"activeDeadlineSeconds\":4,"));
        await Eventually.IsTrueAsync(() => Stored(ns, "forever").LongAt("status", "ready") == 1, "its pod ready");

        var job = await Eventually.ReturnsAsync(() => Stored(ns, "forever") is { } j && JobSync.Finished(j) ? j : null, "the deadline");
        Assert.Equal(["FailureTarget/DeadlineExceeded", "Failed/DeadlineExceeded"], ConditionTypes(job));
        Assert.Equal("Job was active longer than specified deadline", job.ObjectsAt("status", "conditions").Last().StringAt("message"));
        Assert.Equal((1L, (long?)null), (job.LongAt("status", "failed"), job.LongAt("status", "active")));
        Assert.Empty(PodsOf(ns, "forever"));
    }

    [Fact]
    public async Task AJobWhosePodIsRefusedByQuotaRecordsFailedCreate()
    {
        var ns = await NamespaceAsync("job-quota");
        await fixture.Admin.PostAsync($"/api/v1/namespaces/{ns}/resourcequotas", JsonNode.Parse("""{"metadata":{"name":"cpu"},"spec":{"hard":{"requests.cpu":"1"}}}""")!);
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(GeneratedObjectKindsModule.ResourceQuotas, ns, "cpu").At("status", "used") is not null, "quota counted");

        await CreateAsync(ns, Job("norequests", "sleep 1"));

        var failed = await Eventually.ReturnsAsync(() => EventsOf(ns, "norequests").FirstOrDefault(e => e.StringAt("reason") == "FailedCreate"), "FailedCreate");
        Assert.Equal(("Warning", "Error creating: pods \"norequests-\" is forbidden: failed quota: cpu: must specify requests.cpu for: work"),
            (failed.StringAt("type"), failed.StringAt("message")));
        Assert.Empty(PodsOf(ns, "norequests"));
    }

    [Fact]
    public async Task DeletingAJobInTheBackgroundDeletesItsPodsAndReleasesTheirFinalizer()
    {
        var ns = await NamespaceAsync("job-delete");
        await CreateAsync(ns, Job("longrun", "sleep infinity"));
        var pod = await Eventually.ReturnsAsync(() => PodsOf(ns, "longrun").FirstOrDefault(p => p.StringAt("status", "phase") == "Running"), "its pod running");

        var (status, _) = await fixture.Admin.DeleteAsync($"/apis/batch/v1/namespaces/{ns}/jobs/longrun", JsonNode.Parse("""{"propagationPolicy":"Background"}"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(Stored(ns, "longrun"));
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(CoreKinds.Pods, ns, pod.Name()) is not { } p
            || (p.At("metadata", "deletionTimestamp") is not null && p.At("metadata", "finalizers") is null), "the pod deleted without the tracking finalizer");
    }

    [Fact]
    public async Task NegativeCountsAreInvalid()
    {
        var (status, body) = await fixture.Admin.PostAsync("/apis/batch/v1/namespaces/default/jobs", Job("negative", "true", extraSpec: "\"parallelism\":-1,"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("Job.batch \"negative\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0", body.StringAt("message"));
    }
}
