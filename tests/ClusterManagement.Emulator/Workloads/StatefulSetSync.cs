using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>
/// pkg/controller/statefulset: pods <c>name-0..N-1</c>; with OrderedReady the next ordinal is made only
/// once every lower one is Running and Ready and scale-down goes from the highest ordinal one at a
/// time, with Parallel all at once; RollingUpdate replaces pods from the highest ordinal down to the
/// partition, one at a time, each only after the ones above it are ready at the new revision.
/// Revisions are ControllerRevisions (<see cref="StatefulSetHistory"/>), pods carry theirs in
/// controller-revision-hash and those below the partition are made from the current one; the claims of
/// volumeClaimTemplates come before their pod (<see cref="StatefulSetClaims"/>).
/// </summary>
internal sealed class StatefulSetSync(EmulatorContext context, ResourceKind kind)
{
    private static readonly TimeSpan ClaimRetry = TimeSpan.FromSeconds(1);

    private readonly StatefulSetHistory _history = new(context, kind);
    private readonly StatefulSetClaims _claims = new(context, kind);

    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    public DateTimeOffset? Sync(string ns, string name)
    {
        var store = context.Store;
        if (store.Get(kind, ns, name) is not { } set || set.At("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }
        var uid = set.StringAt("metadata", "uid")!;
        var replicas = (int)(set.LongAt("spec", "replicas") ?? 1);
        var parallel = set.StringAt("spec", "podManagementPolicy") == "Parallel";
        var revisions = _history.Sync(set);
        var updateRevision = revisions.Update.Name();
        var currentRevision = revisions.Current.Name();
        var now = context.Time.GetUtcNow();
        DateTimeOffset? recheck = null;

        var pods = new SortedDictionary<int, JsonObject>();
        foreach (var stored in store.List(CoreKinds.Pods, ns).Items.Where(p => p.OwnerUids.Contains(uid)))
        {
            var pod = stored.ToJson();
            if (OwnerIndex.ControllerOf(pod)?.StringAt("uid") == uid && Ordinal(name, pod.Name()) is { } ordinal)
            {
                pods[ordinal] = pod;
            }
        }

        // Claims change hands before any pod goes, so that a condemned pod takes its claims with it.
        foreach (var (ordinal, pod) in pods)
        {
            _claims.Own(set, pod, ordinal, replicas);
        }

        // Failed pods are replaced; surplus ordinals go highest first.
        foreach (var (ordinal, pod) in pods.Where(p => p.Value.StringAt("status", "phase") == "Failed").ToList())
        {
            WorkloadPods.Delete(store, pod);
            pods.Remove(ordinal);
        }
        var blocked = false;
        for (var ordinal = 0; ordinal < replicas && !blocked; ordinal++)
        {
            if (!pods.ContainsKey(ordinal))
            {
                if (_claims.Prepare(set, ordinal))
                {
                    pods[ordinal] = CreatePod(set, ordinal, ordinal < Partition(set) ? revisions.Current : revisions.Update);
                    _claims.Own(set, pods[ordinal], ordinal, replicas);
                }
                else
                {
                    // Claims are not watched here: the real controller's sync fails and is retried after a backoff.
                    recheck = now + ClaimRetry;
                }
                blocked = !parallel;
            }
            else if (!parallel && !IsRunningAndReady(pods[ordinal]))
            {
                blocked = true;
            }
        }
        foreach (var ordinal in pods.Keys.Where(o => o >= replicas).OrderDescending().ToList())
        {
            if (blocked)
            {
                break;
            }
            WorkloadPods.Delete(store, pods[ordinal]);
            pods.Remove(ordinal);
            blocked = !parallel;
        }
        if (!blocked && set.StringAt("spec", "updateStrategy", "type") != "OnDelete")
        {
            // One pod at a time from the top: the first not yet at the update revision goes, once all above it are ready.
            foreach (var ordinal in pods.Keys.Where(o => o >= Partition(set) && o < replicas).OrderDescending())
            {
                var pod = pods[ordinal];
                if (Revision(pod) != updateRevision)
                {
                    WorkloadPods.Delete(store, pod);
                    pods.Remove(ordinal);
                    break;
                }
                if (!IsRunningAndReady(pod))
                {
                    break;
                }
            }
        }

        var live = pods.Where(p => p.Key < replicas || p.Value.At("metadata", "deletionTimestamp") is null).Select(p => p.Value).ToList();
        var status = new JsonObject
        {
            ["observedGeneration"] = set.LongAt("metadata", "generation") ?? 1,
            ["replicas"] = live.Count,
            ["readyReplicas"] = live.Count(WorkloadPods.IsReady),
            ["currentReplicas"] = live.Count(p => Revision(p) == currentRevision),
            ["updatedReplicas"] = live.Count(p => Revision(p) == updateRevision),
            ["currentRevision"] = currentRevision,
            ["updateRevision"] = updateRevision,
            ["collisionCount"] = revisions.CollisionCount,
            ["availableReplicas"] = live.Count(p => WorkloadPods.IsAvailable(p, set, now, ref recheck)),
        };
        // completeRollingUpdate: once every replica is ready at the update revision, it becomes the current one.
        if (status["updatedReplicas"]!.GetValue<int>() == replicas && status["readyReplicas"]!.GetValue<int>() == replicas && live.Count == replicas)
        {
            status["currentRevision"] = updateRevision;
            status["currentReplicas"] = replicas;
        }
        foreach (var zero in new[] { "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas" })
        {
            if (status[zero]!.GetValue<int>() == 0)
            {
                status.Remove(zero);
            }
        }
        WorkloadPods.WriteStatus(context.Store, kind, set, status);
        _history.Truncate(set, pods.Values, revisions);
        return recheck;
    }

    private static int Partition(JsonObject set) => (int)(set.LongAt("spec", "updateStrategy", "rollingUpdate", "partition") ?? 0);

    private static string? Revision(JsonObject pod) => pod.StringAt("metadata", "labels", StatefulSetHistory.HashLabel);

    /// <summary>isRunningAndReady: phase Running and the Ready condition true (minReadySeconds aside).</summary>
    private static bool IsRunningAndReady(JsonObject pod) =>
        pod.StringAt("status", "phase") == "Running" && WorkloadPods.IsReady(pod) && pod.At("metadata", "deletionTimestamp") is null;

    private static int? Ordinal(string setName, string podName) =>
        podName.StartsWith(setName + "-", StringComparison.Ordinal) && int.TryParse(podName[(setName.Length + 1)..], out var ordinal) && ordinal >= 0
            ? ordinal
            : null;

    /// <summary>newVersionedStatefulSetPod: the pod of an ordinal from the template of <paramref name="revision"/>.</summary>
    private JsonObject CreatePod(JsonObject set, int ordinal, JsonObject revision)
    {
        var podName = $"{set.Name()}-{ordinal}";
        var template = StatefulSetHistory.Template(revision);
        var labels = template.At("metadata", "labels")?.DeepClone() as JsonObject ?? [];
        labels[StatefulSetHistory.HashLabel] = revision.Name();
        labels[PodNameLabel] = podName;
        labels[PodIndexLabel] = ordinal.ToString();
        var spec = template["spec"]?.DeepClone() as JsonObject ?? [];
        StatefulSetClaims.Mount(set, spec, ordinal);
        spec["hostname"] = podName;
        if (set.StringAt("spec", "serviceName") is { Length: > 0 } service)
        {
            spec["subdomain"] = service;
        }
        return WorkloadPods.Create(context.Store, set, spec, labels, podName, null);
    }
}
