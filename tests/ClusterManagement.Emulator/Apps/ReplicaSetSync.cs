using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Quota;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// The ReplicaSet controller: creates or deletes pods until the active ones match spec.replicas
/// (unbound: the emulated kube-scheduler places them), and reports
/// replicas, readyReplicas and availableReplicas (ready for minReadySeconds).
/// </summary>
internal sealed class ReplicaSetSync(EmulatorContext context, OwnerIndex pods)
{
    /// <summary>The real controller's burstReplicas: at most this many creations or deletions per sync.</summary>
    private const int Burst = 500;
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The work queue's backoff for a set whose pods are refused, by uid: how many syncs in a row failed.</summary>
    private readonly Dictionary<string, int> _failedSyncs = [];

    /// <summary>Returns when the set should be looked at again (a pod reaching minReadySeconds), if ever.</summary>
    public DateTimeOffset? Sync(string ns, string name)
    {
        var store = context.Store;
        if (store.Get(AppsKinds.ReplicaSets, ns, name) is not { } rs || rs.At("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }
        var uid = rs.StringAt("metadata", "uid")!;
        var owned = pods.Owned(uid)
            .Select(p => store.Get(CoreKinds.Pods, p.Namespace, p.Name))
            .OfType<JsonObject>()
            .Where(p => OwnerIndex.ControllerOf(p)?.StringAt("uid") == uid)
            .ToList();
        var active = owned.Where(IsActive).ToList();
        var diff = active.Count - DeploymentUtil.Replicas(rs);
        string? createError = null;
        if (diff < 0)
        {
            for (var i = 0; i < Math.Min(-diff, Burst); i++)
            {
                JsonObject pod;
                try
                {
                    pod = CreatePod(rs);
                }
                catch (ApiException e) when (e.Code == 403)
                {
                    // controller_utils.go CreatePodsWithGenerateName: the refusal becomes an event, the batch stops.
                    createError = e.Message;
                    context.Warning(rs, "FailedCreate", $"Error creating: {e.Message}", "replicaset-controller");
                    break;
                }
                context.Normal(rs, "SuccessfulCreate", $"Created pod: {pod.Name()}", "replicaset-controller");
                active.Add(pod);
            }
        }
        else if (diff > 0)
        {
            foreach (var doomed in DeletionOrder(active).Take((int)Math.Min(diff, Burst)).ToList())
            {
                try
                {
                    store.Delete(CoreKinds.Pods, ns, doomed.Name(), doomed.StringAt("metadata", "uid"));
                    context.Normal(rs, "SuccessfulDelete", $"Deleted pod: {doomed.Name()}", "replicaset-controller");
                }
                catch (ApiException e) when (e.Code is 404 or 409)
                {
                    // Already gone.
                }
                active.Remove(doomed);
            }
        }
        var recheck = WriteStatus(rs, active, createError);
        if (createError is null)
        {
            _failedSyncs.Remove(uid);
            return recheck;
        }
        var failures = _failedSyncs[uid] = _failedSyncs.GetValueOrDefault(uid) + 1;
        var retry = context.Time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(MaxRetrySeconds, 1 << Math.Min(failures - 1, 5)));
        return recheck is { } at && at < retry ? at : retry;
    }

    /// <summary>Retries of a refused create back off from 1 s, doubling, as the controller's rate-limited queue does (capped sooner here).</summary>
    private const int MaxRetrySeconds = 30;

    private DateTimeOffset? WriteStatus(JsonObject rs, List<JsonObject> active, string? createError)
    {
        var now = context.Time.GetUtcNow();
        var minReady = TimeSpan.FromSeconds(rs.LongAt("spec", "minReadySeconds") ?? 0);
        DateTimeOffset? recheck = null;
        long ready = 0;
        long available = 0;
        foreach (var pod in active)
        {
            if (ReadySince(pod) is not { } since)
            {
                continue;
            }
            ready++;
            if (since + minReady <= now)
            {
                available++;
            }
            else if (recheck is null || since + minReady < recheck)
            {
                recheck = since + minReady;
            }
        }
        var labels = rs.At("spec", "template", "metadata", "labels") as JsonObject;
        var status = new JsonObject();
        NonZero(status, "replicas", active.Count);
        NonZero(status, "fullyLabeledReplicas", active.Count(p => (labels ?? []).All(l => p.StringAt("metadata", "labels", l.Key) == l.Value?.GetValue<string>())));
        NonZero(status, "readyReplicas", ready);
        NonZero(status, "availableReplicas", available);
        status["observedGeneration"] = rs.LongAt("metadata", "generation") ?? 1;
        KeepReplicaFailure(rs, status, createError, now);
        if (PodTemplateHash.Canonical(status) != PodTemplateHash.Canonical(rs["status"]))
        {
            try
            {
                context.Store.Mutate(AppsKinds.ReplicaSets, rs.Namespace(), rs.Name(), current =>
                {
                    if (current.StringAt("metadata", "uid") != rs.StringAt("metadata", "uid"))
                    {
                        return false;
                    }
                    current["status"] = status;
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
        }
        return recheck;
    }

    /// <summary>
    /// replica_set_utils.go calculateStatus: a failed create sets ReplicaFailure (reason FailedCreate, the
    /// API's message) once and keeps it while creates fail; a sync without a failure removes it.
    /// </summary>
    private static void KeepReplicaFailure(JsonObject rs, JsonObject status, string? createError, DateTimeOffset now)
    {
        var current = DeploymentUtil.ConditionOf(rs["status"] as JsonObject, ReplicaFailure);
        if (createError is not null && current is null)
        {
            status["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = ReplicaFailure,
                ["status"] = "True",
                ["lastTransitionTime"] = Timestamps.Format(now),
                ["reason"] = "FailedCreate",
                ["message"] = createError,
            });
        }
        else if (createError is not null)
        {
            status["conditions"] = new JsonArray(current!.DeepClone());
        }
    }

    public const string ReplicaFailure = "ReplicaFailure";

    internal static void NonZero(JsonObject obj, string name, long value)
    {
        if (value != 0)
        {
            obj[name] = value;
        }
    }

    internal static bool IsActive(JsonObject pod) =>
        pod.At("metadata", "deletionTimestamp") is null && pod.StringAt("status", "phase") is not ("Succeeded" or "Failed");

    internal static DateTimeOffset? ReadySince(JsonObject pod) =>
        pod.Condition("Ready") is { } ready && ready.StringAt("status") == "True"
            ? Timestamps.Parse(ready.StringAt("lastTransitionTime")) ?? DateTimeOffset.MinValue
            : null;

    /// <summary>controller.ActivePods ranking: unscheduled, then pending, then not ready, then the newest go first.</summary>
    private static IEnumerable<JsonObject> DeletionOrder(IEnumerable<JsonObject> active) => active
        .OrderBy(p => p.StringAt("spec", "nodeName") is { Length: > 0 } ? 1 : 0)
        .ThenBy(p => p.StringAt("status", "phase") switch { "Pending" => 0, "Unknown" => 1, _ => 2 })
        .ThenBy(p => ReadySince(p) is null ? 0 : 1)
        .ThenByDescending(p => p.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal);

    private JsonObject CreatePod(JsonObject rs)
    {
        var template = rs.At("spec", "template") as JsonObject ?? [];
        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        var meta = new JsonObject
        {
            ["generateName"] = rs.Name() + "-",
            ["namespace"] = rs.Namespace(),
            ["labels"] = template.At("metadata", "labels")?.DeepClone() ?? new JsonObject(),
        };
        if (template.At("metadata", "annotations") is JsonObject annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }
        meta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["name"] = rs.Name(),
            ["uid"] = rs.StringAt("metadata", "uid"),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        var admitted = new JsonObject { ["metadata"] = meta.DeepClone(), ["spec"] = spec.DeepClone() };
        CoreDefaultsAdmission.DefaultPod(admitted);
        ResourceQuotaAdmission.Charge(context.Store, GeneratedObjectKindsModule.ResourceQuotas, CoreKinds.Pods, admitted, null);
        while (true)
        {
            meta["name"] = rs.Name() + "-" + new string(Random.Shared.GetItems(NameAlphabet.AsSpan(), 5));
            var pod = new JsonObject
            {
                ["metadata"] = meta.DeepClone(),
                ["spec"] = spec.DeepClone(),
            };
            CoreDefaultsAdmission.DefaultPod(pod);
            try
            {
                return context.Store.Create(CoreKinds.Pods, pod);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // A name drawn twice: draw again, as generateName does.
            }
        }
    }
}
