using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// What a new Job gets from the batch/v1 defaults (pkg/apis/batch/v1/defaults.go SetDefaults_Job) and the
/// registry strategy (pkg/registry/batch/job/strategy.go generateSelector): parallelism and completions,
/// backoffLimit 6, NonIndexed, not suspended, pod replacement TerminatingOrFailed, a uid known before it
/// is stored so the template's job-name/controller-uid labels and the selector on controller-uid can
/// name it, and the template's labels as the Job's own when it has none. CronJobs get SetDefaults_CronJob.
/// </summary>
public sealed class JobAdmission : IAdmissionPlugin
{
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    private const string LegacyJobNameLabel = "job-name";
    private const string LegacyControllerUidLabel = "controller-uid";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Object is not { } obj || request.Subresource is not null)
        {
            return ValueTask.CompletedTask;
        }
        if (request.Kind == GeneratedObjectKindsModule.Jobs)
        {
            if (request.Operation == AdmissionOperation.Create)
            {
                DefaultJob(obj);
            }
            Validate(request.Kind, obj, obj.ObjectAt("spec"), "spec");
        }
        else if (request.Kind == GeneratedObjectKindsModule.CronJobs)
        {
            if (request.Operation == AdmissionOperation.Create)
            {
                DefaultCronJob(obj);
            }
            ValidateCronJob(obj);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>A new Job's defaults and generated selector; the cronjob controller's Jobs get them as its API requests would.</summary>
    internal static void DefaultJob(JsonObject job)
    {
        var spec = job.ObjectAt("spec");
        DefaultJobSpec(spec);
        var meta = job.Metadata();
        var uid = meta.StringAt("uid") ?? Guid.NewGuid().ToString();
        meta["uid"] = uid;
        if (!spec.BoolAt("manualSelector"))
        {
            var labels = spec.ObjectAt("template").ObjectAt("metadata").ObjectAt("labels");
            labels[LegacyJobNameLabel] ??= job.Name();
            labels[JobNameLabel] ??= job.Name();
            labels[LegacyControllerUidLabel] ??= uid;
            labels[ControllerUidLabel] ??= uid;
            spec.ObjectAt("selector").ObjectAt("matchLabels")[ControllerUidLabel] ??= uid;
        }
        // Defaulting runs again when the stored Job is read, by then with the generated labels.
        if (job.Labels() is not { Count: > 0 } && spec.At("template", "metadata", "labels") is JsonObject templateLabels)
        {
            meta["labels"] = templateLabels.DeepClone();
        }
    }

    /// <summary>SetDefaults_Job's spec part, also what a CronJob's jobTemplate reads back with.</summary>
    private static void DefaultJobSpec(JsonObject spec)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
        }
        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed";
    }

    /// <summary>SetDefaults_CronJob, and the Job defaults for its template.</summary>
    private static void DefaultCronJob(JsonObject cronJob)
    {
        var spec = cronJob.ObjectAt("spec");
        spec["concurrencyPolicy"] ??= "Allow";
        spec["suspend"] ??= false;
        spec["successfulJobsHistoryLimit"] ??= 3;
        spec["failedJobsHistoryLimit"] ??= 1;
        DefaultJobSpec(spec.ObjectAt("jobTemplate").ObjectAt("spec"));
    }

    /// <summary>validation.go validateCronJobSpec: a schedule robfig/cron parses, no TZ= in it, a time zone the zone database knows.</summary>
    private static void ValidateCronJob(JsonObject cronJob)
    {
        var causes = new List<(string, string, string)>();
        var schedule = cronJob.StringAt("spec", "schedule") ?? "";
        if (schedule.Length == 0)
        {
            causes.Add(("spec.schedule", "FieldValueRequired", "Required value"));
        }
        else if (schedule.Contains("TZ", StringComparison.Ordinal))
        {
            causes.Add(("spec.schedule", "FieldValueInvalid", $"Invalid value: {ObjectValidation.GoQuote(schedule)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        }
        else if (CronSchedule.TryParse(schedule, out var error) is null)
        {
            causes.Add(("spec.schedule", "FieldValueInvalid", $"Invalid value: {ObjectValidation.GoQuote(schedule)}: {error}"));
        }
        if (cronJob.StringAt("spec", "timeZone") is { } zone && CronJobSync.Zone(cronJob.ObjectAt("spec")) is null)
        {
            causes.Add(("spec.timeZone", "FieldValueInvalid", $"Invalid value: {ObjectValidation.GoQuote(zone)}: unknown time zone {zone}"));
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(GeneratedObjectKindsModule.CronJobs, cronJob.Name(), [.. causes]);
        }
    }

    /// <summary>validation.go ValidateJobSpec: the counts a Job runs by may not be negative.</summary>
    private static void Validate(ResourceKind kind, JsonObject job, JsonObject spec, string path)
    {
        var causes = new List<(string, string, string)>();
        foreach (var field in (string[])["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"])
        {
            if (spec.LongAt(field) is { } value && value < 0)
            {
                causes.Add(($"{path}.{field}", "FieldValueInvalid", $"Invalid value: {value}: must be greater than or equal to 0"));
            }
        }
        if (causes.Count > 0)
        {
            throw Status.Invalid(kind, job.Name(), [.. causes]);
        }
    }
}
