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
/// One sync of kube-controller-manager's job controller (pkg/controller/job/job_controller.go syncJob) for
/// NonIndexed Jobs: pods up to parallelism (no more than the completions still missing), each carrying
/// the job-tracking finalizer until its end is counted in status.succeeded/failed; failed pods replaced
/// after the controller's backoff (10 s doubling); then, as 1.31+ does, a FailureTarget
/// (BackoffLimitExceeded past backoffLimit failures, DeadlineExceeded past activeDeadlineSeconds) or
/// SuccessCriteriaMet (CompletionsReached) condition, the remaining pods ended, and Failed or Complete
/// with completionTime once none is left, with the controller's events.
/// </summary>
internal sealed class JobSync(EmulatorContext context, OwnerIndex pods)
{
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";
    private const string Component = "job-controller";
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private static readonly TimeSpan PodFailureBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxPodFailureBackoff = TimeSpan.FromMinutes(6);

    private readonly Dictionary<string, (int Failures, DateTimeOffset Last)> _backoff = [];

    /// <summary>Returns when the Job should be looked at again (backoff over, deadline), if ever.</summary>
    public DateTimeOffset? Sync(string ns, string name)
    {
        if (context.Store.Get(GeneratedObjectKindsModule.Jobs, ns, name) is not { } job)
        {
            return null;
        }
        var uid = job.StringAt("metadata", "uid")!;
        var owned = pods.Owned(uid)
            .Select(p => context.Store.Get(CoreKinds.Pods, p.Namespace, p.Name))
            .OfType<JsonObject>()
            .Where(p => OwnerIndex.ControllerOf(p)?.StringAt("uid") == uid)
            .ToList();
        if (job.At("metadata", "deletionTimestamp") is not null || Finished(job))
        {
            owned.ForEach(ReleaseFinalizer);
            return null;
        }
        var now = context.Time.GetUtcNow();
        var status = job["status"]?.DeepClone() as JsonObject ?? [];
        status["startTime"] ??= Timestamps.Format(now);
        var spec = job.ObjectAt("spec");

        var ended = owned.Where(p => HasFinalizer(p) && (IsSucceeded(p) || IsFailed(p))).ToList();
        var succeeded = (status.LongAt("succeeded") ?? 0) + ended.Count(IsSucceeded);
        var newFailures = ended.Count(IsFailed);
        var failed = (status.LongAt("failed") ?? 0) + newFailures;
        if (newFailures > 0)
        {
            var (count, _) = _backoff.GetValueOrDefault(uid);
            _backoff[uid] = (count + newFailures, now);
        }
        var active = owned.Where(p => !IsSucceeded(p) && !IsFailed(p) && p.At("metadata", "deletionTimestamp") is null).ToList();
        DateTimeOffset? recheck = null;

        var finishing = Condition(status, "FailureTarget") ?? Condition(status, "SuccessCriteriaMet");
        if (finishing is null)
        {
            var completions = spec.LongAt("completions");
            var deadline = spec.LongAt("activeDeadlineSeconds") is { } seconds ? Timestamps.Parse(status.StringAt("startTime"))!.Value.AddSeconds(seconds) : (DateTimeOffset?)null;
            if (failed > (spec.LongAt("backoffLimit") ?? 6) || RestartsPastBackoffLimit(spec, active))
            {
                finishing = AddCondition(status, "FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
            }
            else if (deadline <= now)
            {
                finishing = AddCondition(status, "FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline", now);
            }
            else if (completions is { } wanted ? succeeded >= wanted : succeeded > 0 && active.Count == 0)
            {
                finishing = AddCondition(status, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
            }
            else
            {
                recheck = deadline;
                var want = completions is { } total
                    ? Math.Min(spec.LongAt("parallelism") ?? 1, total - succeeded)
                    : succeeded > 0 ? active.Count : spec.LongAt("parallelism") ?? 1;
                if (ManagePods(job, active, want, uid, now, status) is { } retry)
                {
                    recheck = recheck is null || retry < recheck ? retry : recheck;
                }
            }
        }
        if (finishing is not null)
        {
            // The remaining pods are ended; a pod deleted before it succeeded counts as failed (isPodFailed).
            foreach (var pod in active)
            {
                DeletePod(job, pod);
                failed++;
            }
            active.Clear();
            Finish(job, status, finishing, now);
        }

        status["active"] = active.Count;
        status["succeeded"] = succeeded;
        status["failed"] = failed;
        status["ready"] = active.Count(p => ReplicaSetSync.ReadySince(p) is not null);
        status["terminating"] = owned.Count(p => p.At("metadata", "deletionTimestamp") is not null && !IsSucceeded(p) && !IsFailed(p));
        status["uncountedTerminatedPods"] = new JsonObject();
        foreach (var zero in (string[])["active", "succeeded", "failed"])
        {
            if (status.LongAt(zero) == 0)
            {
                status.Remove(zero);
            }
        }
        WorkloadPods.WriteStatus(context.Store, GeneratedObjectKindsModule.Jobs, job, status);
        ended.ForEach(ReleaseFinalizer);
        return recheck;
    }

    /// <summary>Whether a Job has its final condition (Complete or Failed), after which nothing changes.</summary>
    public static bool Finished(JsonObject job) =>
        job.ObjectsAt("status", "conditions").Any(c => c.StringAt("type") is "Complete" or "Failed" && c.StringAt("status") == "True");

    private static bool IsSucceeded(JsonObject pod) => pod.StringAt("status", "phase") == "Succeeded";

    /// <summary>isPodFailed with the default replacement policy: Failed, or deleted before it succeeded.</summary>
    private static bool IsFailed(JsonObject pod) =>
        pod.StringAt("status", "phase") == "Failed" || (pod.At("metadata", "deletionTimestamp") is not null && !IsSucceeded(pod));

    public static bool HasFinalizer(JsonObject pod) =>
        (pod.At("metadata", "finalizers") as JsonArray ?? []).Any(f => f?.GetValue<string>() == TrackingFinalizer);

    /// <summary>pastBackoffLimitOnFailure: with OnFailure, the restarts of running pods count against backoffLimit.</summary>
    private static bool RestartsPastBackoffLimit(JsonObject spec, List<JsonObject> active)
    {
        if (spec.StringAt("template", "spec", "restartPolicy") != "OnFailure")
        {
            return false;
        }
        var restarts = active.Where(p => p.StringAt("status", "phase") is "Running" or "Pending")
            .SelectMany(p => p.ObjectsAt("status", "containerStatuses").Concat(p.ObjectsAt("status", "initContainerStatuses")))
            .Sum(s => s.LongAt("restartCount") ?? 0);
        var limit = spec.LongAt("backoffLimit") ?? 6;
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    private static JsonObject? Condition(JsonObject status, string type) =>
        status.ObjectsAt("conditions").FirstOrDefault(c => c.StringAt("type") == type && c.StringAt("status") == "True");

    private static JsonObject AddCondition(JsonObject status, string type, string reason, string message, DateTimeOffset now)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastProbeTime"] = Timestamps.Format(now),
            ["lastTransitionTime"] = Timestamps.Format(now),
            ["reason"] = reason,
            ["message"] = message,
        };
        (status["conditions"] as JsonArray ?? (JsonArray)(status["conditions"] = new JsonArray())).Add(condition);
        return condition;
    }

    /// <summary>With no pod left running, the interim condition becomes the final one (Complete stamps completionTime).</summary>
    private void Finish(JsonObject job, JsonObject status, JsonObject finishing, DateTimeOffset now)
    {
        var reason = finishing.StringAt("reason")!;
        var message = finishing.StringAt("message")!;
        if (finishing.StringAt("type") == "SuccessCriteriaMet")
        {
            AddCondition(status, "Complete", reason, message, now);
            status["completionTime"] = Timestamps.Format(now);
            context.Normal(job, "Completed", "Job completed", Component);
        }
        else
        {
            AddCondition(status, "Failed", reason, message, now);
            context.Warning(job, reason, message, Component);
        }
    }

    /// <summary>manageJob: creates missing pods (after the failure backoff) and deletes surplus ones; returns when to retry.</summary>
    private DateTimeOffset? ManagePods(JsonObject job, List<JsonObject> active, long want, string uid, DateTimeOffset now, JsonObject status)
    {
        if (active.Count > want)
        {
            foreach (var surplus in active.OrderBy(p => ReplicaSetSync.ReadySince(p) is null ? 0 : 1).Take((int)(active.Count - want)).ToList())
            {
                DeletePod(job, surplus);
                active.Remove(surplus);
            }
            return null;
        }
        if (active.Count == want)
        {
            return null;
        }
        if (_backoff.TryGetValue(uid, out var backoff))
        {
            var delay = TimeSpan.FromTicks(Math.Min(MaxPodFailureBackoff.Ticks, PodFailureBackoff.Ticks << Math.Min(backoff.Failures - 1, 10)));
            if (backoff.Last + delay > now)
            {
                return backoff.Last + delay;
            }
        }
        while (active.Count < want)
        {
            try
            {
                var pod = CreatePod(job);
                context.Normal(job, "SuccessfulCreate", $"Created pod: {pod.Name()}", Component);
                active.Add(pod);
            }
            catch (ApiException e) when (e.Code == 403)
            {
                context.Warning(job, "FailedCreate", $"Error creating: {e.Message}", Component);
                var (count, _) = _backoff.GetValueOrDefault(uid);
                _backoff[uid] = (count + 1, now);
                return now + TimeSpan.FromTicks(PodFailureBackoff.Ticks << Math.Min(count, 10));
            }
        }
        return null;
    }

    private JsonObject CreatePod(JsonObject job)
    {
        var template = job.At("spec", "template") as JsonObject ?? [];
        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        var meta = new JsonObject
        {
            ["generateName"] = job.Name() + "-",
            ["namespace"] = job.Namespace(),
            ["labels"] = template.At("metadata", "labels")?.DeepClone() ?? new JsonObject(),
            ["finalizers"] = new JsonArray(TrackingFinalizer),
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["name"] = job.Name(),
                ["uid"] = job.StringAt("metadata", "uid"),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        };
        if (template.At("metadata", "annotations") is JsonObject annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }
        var pod = new JsonObject { ["metadata"] = meta, ["spec"] = spec };
        CoreDefaultsAdmission.DefaultPod(pod);
        ResourceQuotaAdmission.Charge(context.Store, GeneratedObjectKindsModule.ResourceQuotas, CoreKinds.Pods, pod, null);
        while (true)
        {
            meta["name"] = job.Name() + "-" + new string(Random.Shared.GetItems(NameAlphabet.AsSpan(), 5));
            try
            {
                return context.Store.Create(CoreKinds.Pods, pod.DeepClone().AsObject());
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // A name drawn twice: draw again, as generateName does.
            }
        }
    }

    /// <summary>Ends a pod at once (the emulated kubelet stops containers instantly), its finalizer with it.</summary>
    private void DeletePod(JsonObject job, JsonObject pod)
    {
        try
        {
            context.Store.Delete(CoreKinds.Pods, pod.Namespace(), pod.Name(), pod.StringAt("metadata", "uid"));
            context.Normal(job, "SuccessfulDelete", $"Deleted pod: {pod.Name()}", Component);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone or replaced already.
        }
    }

    /// <summary>Once its end is counted (or its Job is gone) a pod loses the job-tracking finalizer, so it can be deleted.</summary>
    public void ReleaseFinalizer(JsonObject pod)
    {
        if (!HasFinalizer(pod))
        {
            return;
        }
        try
        {
            context.Store.Mutate(CoreKinds.Pods, pod.Namespace(), pod.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != pod.StringAt("metadata", "uid") || current.At("metadata", "finalizers") is not JsonArray finalizers)
                {
                    return false;
                }
                var kept = finalizers.Where(f => f?.GetValue<string>() != TrackingFinalizer).Select(f => f!.DeepClone()).ToArray();
                if (kept.Length == finalizers.Count)
                {
                    return false;
                }
                if (kept.Length == 0)
                {
                    current.Metadata().Remove("finalizers");
                }
                else
                {
                    current.Metadata()["finalizers"] = new JsonArray(kept);
                }
                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already.
        }
    }
}
