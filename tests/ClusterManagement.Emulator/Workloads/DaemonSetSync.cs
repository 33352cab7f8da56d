using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>
/// pkg/controller/daemon: one pod per node the DaemonSet should run on (node selector, taints against
/// the template's tolerations plus the ones the controller adds to every daemon pod, so cordoned nodes
/// still get one), rolling updates that replace pods node by node within maxUnavailable, and status
/// counted from the pods.
/// </summary>
internal sealed class DaemonSetSync(EmulatorContext context, ResourceKind kind, OwnerIndex pods)
{
    /// <summary>The controller-revision-hash label: the template's hash, as the ControllerRevision is named.</summary>
    public const string RevisionLabel = "controller-revision-hash";

    /// <summary>The legacy label IsPodUpdated also accepts (kubeadm's kube-proxy pods carry it).</summary>
    public const string TemplateGenerationLabel = "pod-template-generation";

    /// <summary>util.AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates.</summary>
    private static readonly (string Key, string Effect)[] DefaultTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    public DateTimeOffset? Sync(string ns, string name)
    {
        var store = context.Store;
        if (store.Get(kind, ns, name) is not { } ds || ds.At("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }
        var uid = ds.StringAt("metadata", "uid")!;
        var generation = ds.LongAt("metadata", "generation") ?? 1;
        var hash = PodTemplateHash.Compute(ds.At("spec", "template") as JsonObject ?? [], ds.LongAt("status", "collisionCount"));
        var template = WorkloadPods.TemplateSpec(ds);
        AddDefaultTolerations(template);
        var tolerations = template.ObjectsAt("tolerations").ToList();
        var selector = template["nodeSelector"] as JsonObject;
        var byNode = pods.Owned(uid)
            .Select(p => store.Get(CoreKinds.Pods, p.Namespace, p.Name))
            .OfType<JsonObject>()
            .Where(p => OwnerIndex.ControllerOf(p)?.StringAt("uid") == uid && ReplicaSetSync.IsActive(p))
            .GroupBy(p => p.StringAt("spec", "nodeName") ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal).ToList());

        var now = context.Time.GetUtcNow();
        DateTimeOffset? recheck = null;
        long desired = 0, scheduled = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        var unavailable = 0;
        var oldAvailable = new List<JsonObject>();
        foreach (var node in store.List(CoreKinds.Nodes).Items.Select(n => n.ToJson()))
        {
            var taints = node.ObjectsAt("spec", "taints").ToList();
            var selected = selector is null || selector.All(l => node.StringAt("metadata", "labels", l.Key) == l.Value?.GetValue<string>());
            var shouldRun = selected && taints.Where(t => t.StringAt("effect") is "NoSchedule" or "NoExecute").All(t => WorkloadPods.Tolerates(tolerations, t));
            var shouldContinue = selected && taints.Where(t => t.StringAt("effect") == "NoExecute").All(t => WorkloadPods.Tolerates(tolerations, t));
            var onNode = byNode.GetValueOrDefault(node.Name()) ?? [];
            if (!shouldContinue || (!shouldRun && onNode.Count == 0))
            {
                onNode.ForEach(p => WorkloadPods.Delete(store, p));
                continue;
            }
            if (!shouldRun)
            {
                misscheduled++;
                continue;
            }
            desired++;
            if (onNode.Count == 0)
            {
                CreatePod(ds, template, node.Name(), hash, generation);
                unavailable++;
                continue;
            }
            // One daemon pod per node: surplus ones (the newest) go.
            onNode.Skip(1).ToList().ForEach(p => WorkloadPods.Delete(store, p));
            var pod = onNode[0];
            scheduled++;
            var isUpdated = IsUpdated(pod, hash, generation);
            var isAvailable = WorkloadPods.IsAvailable(pod, ds, now, ref recheck);
            ready += WorkloadPods.IsReady(pod) ? 1 : 0;
            available += isAvailable ? 1 : 0;
            updated += isUpdated ? 1 : 0;
            if (isUpdated || ds.StringAt("spec", "updateStrategy", "type") == "OnDelete")
            {
                unavailable += isAvailable ? 0 : 1;
            }
            else if (!isAvailable)
            {
                // An old pod that is not available anyway is replaced at once, costing no budget.
                WorkloadPods.Delete(store, pod);
            }
            else
            {
                oldAvailable.Add(pod);
            }
        }
        var maxUnavailable = MaxUnavailable(ds, desired);
        foreach (var pod in oldAvailable.Take(Math.Max(0, maxUnavailable - unavailable)))
        {
            WorkloadPods.Delete(store, pod);
        }
        WriteStatus(ds, new JsonObject
        {
            ["currentNumberScheduled"] = scheduled,
            ["desiredNumberScheduled"] = desired,
            ["numberAvailable"] = available,
            ["numberMisscheduled"] = misscheduled,
            ["numberReady"] = ready,
            ["observedGeneration"] = generation,
            ["updatedNumberScheduled"] = updated,
        }, desired - available);
        return recheck;
    }

    /// <summary>dsutil.IsPodUpdated: the template's hash, or the legacy template generation label.</summary>
    private static bool IsUpdated(JsonObject pod, string hash, long generation) =>
        pod.StringAt("metadata", "labels", RevisionLabel) == hash
        || pod.StringAt("metadata", "labels", TemplateGenerationLabel) == generation.ToString();

    /// <summary>maxUnavailable of desiredNumberScheduled (a percentage rounds up), default 1, at least 1 when maxSurge is 0.</summary>
    private static int MaxUnavailable(JsonObject ds, long desired)
    {
        var value = ds.At("spec", "updateStrategy", "rollingUpdate", "maxUnavailable");
        var text = value?.ToString() ?? "1";
        var count = text.EndsWith('%') && int.TryParse(text[..^1], out var percent)
            ? (int)Math.Ceiling(desired * percent / 100.0)
            : int.TryParse(text, out var n) ? n : 1;
        return Math.Max(1, count);
    }

    private static void AddDefaultTolerations(JsonObject spec)
    {
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        spec["tolerations"] = tolerations;
        var required = DefaultTolerations.AsEnumerable();
        if (spec.BoolAt("hostNetwork"))
        {
            required = required.Append(("node.kubernetes.io/network-unavailable", "NoSchedule"));
        }
        foreach (var (key, effect) in required)
        {
            if (!tolerations.OfType<JsonObject>().Any(t => t.StringAt("key") == key && t.StringAt("effect") == effect))
            {
                tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = effect });
            }
        }
    }

    private void CreatePod(JsonObject ds, JsonObject template, string node, string hash, long generation)
    {
        var labels = WorkloadPods.TemplateLabels(ds);
        labels[RevisionLabel] = hash;
        labels[TemplateGenerationLabel] = generation.ToString();
        var spec = (JsonObject)template.DeepClone();
        // util.ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may only land on its node.
        spec["affinity"] = new JsonObject
        {
            ["nodeAffinity"] = new JsonObject
            {
                ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                {
                    ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                    {
                        ["matchFields"] = new JsonArray(new JsonObject { ["key"] = "metadata.name", ["operator"] = "In", ["values"] = new JsonArray(node) }),
                    }),
                },
            },
        };
        WorkloadPods.Create(context.Store, ds, spec, labels, null, node);
    }

    private void WriteStatus(JsonObject ds, JsonObject status, long unavailable)
    {
        if (unavailable > 0)
        {
            status["numberUnavailable"] = unavailable;
        }
        if (ds["status"] is JsonObject previous && previous["collisionCount"] is { } collisions)
        {
            status["collisionCount"] = collisions.DeepClone();
        }
        WorkloadPods.WriteStatus(context.Store, kind, ds, status);
    }
}
