using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Batch;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Batch;

/// <summary>
/// CronJobs as the apiserver validates them (robfig/cron's ParseStandard, time zones) and the cronjob
/// controller (pkg/controller/cronjob/cronjob_controllerv2.go) runs them; each test moves its own
/// emulator's clock a minute at a time instead of waiting for one.
/// </summary>
public sealed class CronJobTests
{
    /// <summary>
    /// The tests move the cluster's clock a minute at a time to reach the next schedule. A node grace period
    /// longer than that keeps the node lifecycle controller from reading each jump as a minute of silence from
    /// every kubelet (whose Lease renews every 10 s), which tainted the nodes unreachable and left the Job's pod
    /// unscheduled until a renewal caught up.
    /// </summary>
    private static async Task<KubeEmulator> StartAsync() => await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, PodReadySeconds = 0.2, NodeGraceSeconds = 600 });

    private static JsonObject CronJob(string name, string schedule, string command, string extraSpec = "")
    {
        var spec = JsonNode.Parse("{" + extraSpec.TrimEnd(',') + "}")!.AsObject();
        spec["schedule"] = schedule;
        spec["jobTemplate"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "tick", ["image"] = "busybox:1.36", ["command"] = new JsonArray("sh", "-c", command) }),
                    },
                },
            },
        };
        return new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "CronJob", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    private static List<JsonObject> JobsOf(KubeEmulator emulator, string cronJob) =>
        [.. emulator.Store.List(GeneratedObjectKindsModule.Jobs, "default").Items.Select(j => j.ToJson())
            .Where(j => j.ObjectsAt("metadata", "ownerReferences").Any(o => o.StringAt("name") == cronJob))];

    private static List<string> Reasons(KubeEmulator emulator, string cronJob) =>
        [.. emulator.Store.List(CoreKinds.Events, "default").Items.Select(e => e.ToJson())
            .Where(e => e.StringAt("involvedObject", "name") == cronJob).Select(e => e.StringAt("reason")!)];

    /// <summary>Moves the cluster's clock past the next minute.</summary>
    private static void NextMinute(KubeEmulator emulator) => emulator.Settings.ClockOffset += TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData("*/15 * * * *", "UTC", "2026-03-01T10:07:00Z", "2026-03-01T10:15:00Z")]
    [InlineData("@hourly", "UTC", "2026-03-01T10:07:00Z", "2026-03-01T11:00:00Z")]
    [InlineData("0 9 * * mon-fri", "Europe/Berlin", "2026-03-06T09:00:00Z", "2026-03-09T08:00:00Z")]
    [InlineData("0 0 13 * 5", "UTC", "2026-03-01T00:00:00Z", "2026-03-06T00:00:00Z")]
    [InlineData("30 2 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T02:30:00Z")]
    public void SchedulesRunAtTheMinutesRobfigCronComputes(string schedule, string zone, string after, string expected)
    {
        var parsed = CronSchedule.TryParse(schedule, out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected), parsed!.Next(DateTimeOffset.Parse(after), TimeZoneInfo.FindSystemTimeZoneById(zone)));
    }

    [Theory]
    [InlineData("70 * * * *", null, "spec.schedule: Invalid value: \"70 * * * *\": end of range (70) above maximum (59): 70")]
    [InlineData("* * *", null, "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]")]
    [InlineData("@every5m", null, "spec.schedule: Invalid value: \"@every5m\": unrecognized descriptor: @every5m")]
    [InlineData("TZ=UTC 0 * * * *", null, "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    [InlineData("0 * * * *", "Mars/Base", "spec.timeZone: Invalid value: \"Mars/Base\": unknown time zone Mars/Base")]
    public async Task ASchedulesOrTimeZoneTheServerCannotReadIsInvalid(string schedule, string? zone, string message)
    {
        await using var emulator = await StartAsync();
        using var admin = new ApiClient(emulator.CreateClient());
        var cronJob = CronJob("bad", schedule, "true");
        if (zone is not null)
        {
            cronJob["spec"]!["timeZone"] = zone;
        }

        var (status, body) = await admin.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", cronJob);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal($"CronJob.batch \"bad\" is invalid: {message}", body.StringAt("message"));
    }

    [Fact]
    public async Task ADueMinuteStartsAJobNamedAfterItAndForbidWaitsForTheRunningOne()
    {
        await using var emulator = await StartAsync();
        using var admin = new ApiClient(emulator.CreateClient());
        var (_, created) = await admin.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", CronJob("forbid", "* * * * *", "sleep infinity", "\"concurrencyPolicy\":\"Forbid\","));
        Assert.Equal(("Forbid", 3L, 1L, false), (created.StringAt("spec", "concurrencyPolicy"), created.LongAt("spec", "successfulJobsHistoryLimit"),
            created.LongAt("spec", "failedJobsHistoryLimit"), created.BoolAt("spec", "suspend")));

        NextMinute(emulator);
        var job = Assert.Single(await Eventually.ReturnsAsync(() => JobsOf(emulator, "forbid") is { Count: > 0 } j ? j : null, "the first Job"));
        var cronJob = emulator.Store.Get(GeneratedObjectKindsModule.CronJobs, "default", "forbid")!;
        var scheduled = Timestamps.Parse(cronJob.StringAt("status", "lastScheduleTime"))!.Value;
        Assert.Equal($"forbid-{scheduled.ToUnixTimeSeconds() / 60}", job.Name());
        Assert.Equal(Timestamps.Format(scheduled), job.StringAt("metadata", "annotations", CronJobSync.ScheduledTimestampAnnotation));
        var owner = Assert.Single(job.ObjectsAt("metadata", "ownerReferences"));
        Assert.Equal(("CronJob", cronJob.StringAt("metadata", "uid"), true), (owner.StringAt("kind"), owner.StringAt("uid"), owner.BoolAt("controller")));
        Assert.NotNull(job.StringAt("spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"));
        await Eventually.IsTrueAsync(() => emulator.Store.Get(GeneratedObjectKindsModule.CronJobs, "default", "forbid")!.ObjectsAt("status", "active").Count() == 1, "status.active");

        NextMinute(emulator);
        await Eventually.IsTrueAsync(() => Reasons(emulator, "forbid").Contains("JobAlreadyActive"), "JobAlreadyActive");
        Assert.Single(JobsOf(emulator, "forbid"));
    }

    [Fact]
    public async Task ReplaceDeletesTheRunningJobAndAllowRunsThemSideBySide()
    {
        await using var emulator = await StartAsync();
        using var admin = new ApiClient(emulator.CreateClient());
        await admin.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", CronJob("replace", "* * * * *", "sleep infinity", "\"concurrencyPolicy\":\"Replace\","));
        await admin.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", CronJob("allow", "* * * * *", "sleep infinity"));

        NextMinute(emulator);
        await Eventually.IsTrueAsync(() => JobsOf(emulator, "replace").Count == 1 && JobsOf(emulator, "allow").Count == 1, "the first Jobs");
        var first = JobsOf(emulator, "replace").Single().Name();
        NextMinute(emulator);

        await Eventually.IsTrueAsync(() => JobsOf(emulator, "allow").Count == 2, "a second Job beside the first");
        await Eventually.IsTrueAsync(() => JobsOf(emulator, "replace") is [var only] && only.Name() != first, "the first Job replaced");
        Assert.Contains("SuccessfulDelete", Reasons(emulator, "replace"));
    }

    [Fact]
    public async Task FinishedJobsBeyondTheHistoryLimitGoAndSuspendStopsNewOnes()
    {
        await using var emulator = await StartAsync();
        using var admin = new ApiClient(emulator.CreateClient());
        await admin.PostAsync("/apis/batch/v1/namespaces/default/cronjobs", CronJob("history", "* * * * *", "true", "\"successfulJobsHistoryLimit\":1,"));

        for (var run = 1; run <= 3; run++)
        {
            NextMinute(emulator);
            await Eventually.IsTrueAsync(() => Reasons(emulator, "history").Count(r => r == "SawCompletedJob") == run, $"run {run} completed");
        }

        await Eventually.IsTrueAsync(() => JobsOf(emulator, "history").Count == 1, "one finished Job kept");
        Assert.Equal(2, Reasons(emulator, "history").Count(r => r == "SuccessfulDelete"));
        Assert.NotNull(emulator.Store.Get(GeneratedObjectKindsModule.CronJobs, "default", "history").StringAt("status", "lastSuccessfulTime"));

        await admin.PatchAsync("/apis/batch/v1/namespaces/default/cronjobs/history", """{"spec":{"suspend":true}}""", "application/merge-patch+json");
        var created = Reasons(emulator, "history").Count(r => r == "SuccessfulCreate");
        NextMinute(emulator);
        await Task.Delay(1500);
        Assert.Equal(created, Reasons(emulator, "history").Count(r => r == "SuccessfulCreate"));
    }

    [KubectlFact]
    public async Task KubectlCreateCronJobAndGetCronJobsPrintTheScheduleColumns()
    {
        await using var emulator = await StartAsync();

        var create = await Kubectl.RunAsync(emulator.KubeconfigPath, "create", "cronjob", "nightly", "--image=busybox:1.36", "--schedule=0 3 * * *");
        Assert.True(create.ExitCode == 0, create.Error);
        var table = await Kubectl.RunAsync(emulator.KubeconfigPath, "get", "cronjobs");

        var lines = table.Output.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$", lines[0]);
        Assert.Matches(@"^nightly\s+0 3 \* \* \*\s+<none>\s+False\s+0\s+<none>\s+\d+s$", lines[1]);

        var job = await Kubectl.RunAsync(emulator.KubeconfigPath, "create", "job", "now", "--from=cronjob/nightly");
        Assert.True(job.ExitCode == 0, job.Error);
        var wait = await Kubectl.RunAsync(emulator.KubeconfigPath, "wait", "--for=condition=complete", "job/now", "--timeout=20s");
        Assert.True(wait.ExitCode == 0, wait.Error);
        Assert.Equal("job.batch/now condition met", wait.Output.Trim());
        var jobs = await Kubectl.RunAsync(emulator.KubeconfigPath, "get", "jobs", "now");
        Assert.Matches(@"^now\s+Complete\s+1/1\s+\d+s\s+\d+s$", jobs.Output.Trim().Split('\n')[1].TrimEnd());
    }
}
