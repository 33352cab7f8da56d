using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Quota;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Workloads;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// One sync of kube-controller-manager's cronjob controller (pkg/controller/cronjob/cronjob_controllerv2.go
/// syncCronJob): status.active kept from the Jobs it owns (SawCompletedJob, lastSuccessfulTime), then,
/// unless suspended, the most recent unmet scheduled minute in the CronJob's time zone starts a Job
/// <c>&lt;name&gt;-&lt;minutes since the epoch&gt;</c> as concurrencyPolicy allows (Forbid waits with
/// JobAlreadyActive, Replace deletes the running ones first), and finished Jobs beyond the history limits
/// are deleted oldest first.
/// </summary>
internal sealed class CronJobSync(EmulatorContext context, OwnerIndex jobs)
{
    private const string Component = "cronjob-controller";
    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    /// <summary>Returns the next scheduled time, when the controller must look again.</summary>
    public DateTimeOffset? Sync(string ns, string name)
    {
        var store = context.Store;
        if (store.Get(GeneratedObjectKindsModule.CronJobs, ns, name) is not { } cronJob || cronJob.At("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }
        var uid = cronJob.StringAt("metadata", "uid")!;
        var owned = jobs.Owned(uid).Select(j => store.Get(GeneratedObjectKindsModule.Jobs, j.Namespace, j.Name)).OfType<JsonObject>()
            .Where(j => OwnerIndex.ControllerOf(j)?.StringAt("uid") == uid).ToList();
        var status = cronJob["status"]?.DeepClone() as JsonObject ?? [];
        var active = status.ObjectsAt("active").Select(a => a.DeepClone().AsObject()).ToList();
        foreach (var job in owned)
        {
            var listed = active.Any(a => a.StringAt("uid") == job.StringAt("metadata", "uid"));
            if (!JobSync.Finished(job))
            {
                if (!listed)
                {
                    active.Add(Reference(job));
                }
                continue;
            }
            if (listed)
            {
                active.RemoveAll(a => a.StringAt("uid") == job.StringAt("metadata", "uid"));
                var condition = job.ObjectsAt("status", "conditions").First(c => c.StringAt("type") is "Complete" or "Failed" && c.StringAt("status") == "True");
                context.Normal(cronJob, "SawCompletedJob", $"Saw completed job: {job.Name()}, condition: {condition.StringAt("type")}", Component);
            }
            if (job.StringAt("status", "completionTime") is { } completed
                && (Timestamps.Parse(status.StringAt("lastSuccessfulTime")) is not { } last || Timestamps.Parse(completed) > last))
            {
                status["lastSuccessfulTime"] = completed;
            }
        }
        // A Job in the list that no longer exists (deleted by someone) leaves it.
        active.RemoveAll(a => owned.All(j => j.StringAt("metadata", "uid") != a.StringAt("uid")));

        var now = context.Time.GetUtcNow();
        var spec = cronJob.ObjectAt("spec");
        DateTimeOffset? next = null;
        if (CronSchedule.TryParse(spec.StringAt("schedule") ?? "", out _) is { } schedule && Zone(spec) is { } zone && !spec.BoolAt("suspend"))
        {
            var earliest = Timestamps.Parse(status.StringAt("lastScheduleTime")) ?? Timestamps.Parse(cronJob.StringAt("metadata", "creationTimestamp")) ?? now;
            DateTimeOffset? due = null;
            for (var t = schedule.Next(earliest, zone); t is { } at && at <= now; t = schedule.Next(at, zone))
            {
                due = at;
            }
            next = schedule.Next(now, zone);
            if (due is { } scheduled && !TooLate(spec, scheduled, now))
            {
                Run(cronJob, status, active, owned, scheduled, zone);
            }
        }
        status["active"] = active.Count == 0 ? null : new JsonArray([.. active]);
        if (status["active"] is null)
        {
            status.Remove("active");
        }
        WorkloadPods.WriteStatus(context.Store, GeneratedObjectKindsModule.CronJobs, cronJob, status);
        CleanUpHistory(cronJob, owned);
        return next;
    }

    /// <summary>startingDeadlineSeconds: a start missed by more than that is skipped.</summary>
    private static bool TooLate(JsonObject spec, DateTimeOffset scheduled, DateTimeOffset now) =>
        spec.LongAt("startingDeadlineSeconds") is { } deadline && scheduled.AddSeconds(deadline) < now;

    /// <summary>Without a timeZone, the controller manager's own zone: UTC, as in its container.</summary>
    public static TimeZoneInfo? Zone(JsonObject spec)
    {
        if (spec.StringAt("timeZone") is not { } name)
        {
            return TimeZoneInfo.Utc;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : null;
    }

    private void Run(JsonObject cronJob, JsonObject status, List<JsonObject> active, List<JsonObject> owned, DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        var policy = cronJob.StringAt("spec", "concurrencyPolicy") ?? "Allow";
        if (policy == "Forbid" && active.Count > 0)
        {
            context.Normal(cronJob, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid", Component);
            return;
        }
        if (policy == "Replace")
        {
            foreach (var running in owned.Where(j => active.Any(a => a.StringAt("uid") == j.StringAt("metadata", "uid"))).ToList())
            {
                DeleteJob(cronJob, running);
                active.RemoveAll(a => a.StringAt("uid") == running.StringAt("metadata", "uid"));
            }
        }
        var job = JobFor(cronJob, scheduled, zone);
        try
        {
            ResourceQuotaAdmission.Charge(context.Store, GeneratedObjectKindsModule.ResourceQuotas, GeneratedObjectKindsModule.Jobs, job, null);
            var created = context.Store.Create(GeneratedObjectKindsModule.Jobs, job);
            context.Normal(cronJob, "SuccessfulCreate", $"Created job {created.Name()}", Component);
            active.Add(Reference(created));
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Made already for this minute (the controller saw its own Job late): nothing more to do.
        }
        catch (ApiException e) when (e.Code == 403)
        {
            context.Warning(cronJob, "FailedCreate", $"Error creating job: {e.Message}", Component);
            return;
        }
        status["lastScheduleTime"] = Timestamps.Format(scheduled);
    }

    /// <summary>getJobFromTemplate2: the template's metadata and spec, the scheduled-timestamp annotation, the CronJob as controller.</summary>
    private static JsonObject JobFor(JsonObject cronJob, DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        var template = cronJob.At("spec", "jobTemplate") as JsonObject ?? [];
        var meta = template["metadata"]?.DeepClone() as JsonObject ?? [];
        meta.Remove("creationTimestamp");
        meta["name"] = $"{cronJob.Name()}-{scheduled.ToUnixTimeSeconds() / 60}";
        meta["namespace"] = cronJob.Namespace();
        var local = TimeZoneInfo.ConvertTime(scheduled, zone);
        meta.ObjectAt("annotations")[ScheduledTimestampAnnotation] = local.ToString(local.Offset == TimeSpan.Zero ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        meta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["name"] = cronJob.Name(),
            ["uid"] = cronJob.StringAt("metadata", "uid"),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        var job = new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = meta,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
        JobAdmission.DefaultJob(job);
        return job;
    }

    private static JsonObject Reference(JsonObject job) => new()
    {
        ["kind"] = "Job",
        ["namespace"] = job.Namespace(),
        ["name"] = job.Name(),
        ["uid"] = job.StringAt("metadata", "uid"),
        ["apiVersion"] = "batch/v1",
        ["resourceVersion"] = job.StringAt("metadata", "resourceVersion"),
    };

    /// <summary>cleanupFinishedJobs: finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit go, oldest first.</summary>
    private void CleanUpHistory(JsonObject cronJob, List<JsonObject> owned)
    {
        foreach (var (type, limitField, fallback) in new[] { ("Complete", "successfulJobsHistoryLimit", 3L), ("Failed", "failedJobsHistoryLimit", 1L) })
        {
            var limit = cronJob.LongAt("spec", limitField) ?? fallback;
            var finished = owned
                .Where(j => j.ObjectsAt("status", "conditions").Any(c => c.StringAt("type") == type && c.StringAt("status") == "True"))
                .OrderBy(j => j.StringAt("status", "startTime") ?? j.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal)
                .ToList();
            foreach (var old in finished.Take(Math.Max(0, finished.Count - (int)limit)))
            {
                DeleteJob(cronJob, old);
            }
        }
    }

    /// <summary>Deleted in the background, as the controller asks: the garbage collector removes the Job's pods.</summary>
    private void DeleteJob(JsonObject cronJob, JsonObject job)
    {
        try
        {
            context.Store.Delete(GeneratedObjectKindsModule.Jobs, job.Namespace(), job.Name(), job.StringAt("metadata", "uid"));
            context.Normal(cronJob, "SuccessfulDelete", $"Deleted job {job.Name()}", Component);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone already.
        }
    }
}
