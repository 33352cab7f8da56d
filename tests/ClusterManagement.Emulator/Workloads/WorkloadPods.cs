using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>What the DaemonSet and StatefulSet controllers share: pods from a template, taints and tolerations, availability.</summary>
internal static class WorkloadPods
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>A pod of <paramref name="owner"/>'s template, bound to <paramref name="nodeName"/> (DaemonSets), or left to the scheduler (null).</summary>
    public static JsonObject Create(ObjectStore store, JsonObject owner, JsonObject spec, JsonObject labels, string? name, string? nodeName)
    {
        var template = owner.At("spec", "template") as JsonObject ?? [];
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }
        var meta = new JsonObject { ["namespace"] = owner.Namespace(), ["labels"] = labels };
        if (template.At("metadata", "annotations") is JsonObject annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }
        meta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = owner.StringAt("kind"),
            ["name"] = owner.Name(),
            ["uid"] = owner.StringAt("metadata", "uid"),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        while (true)
        {
            // generateName <owner>- with five random characters when the controller names no pod (DaemonSets).
            meta["name"] = name ?? owner.Name() + "-" + new string(Random.Shared.GetItems(NameAlphabet.AsSpan(), 5));
            var pod = new JsonObject
            {
                ["metadata"] = meta.DeepClone(),
                ["spec"] = spec.DeepClone(),
                ["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" },
            };
            try
            {
                return store.Create(CoreKinds.Pods, pod);
            }
            catch (ApiException e) when (e.Code == 409 && name is null)
            {
                // A name drawn twice: draw again, as generateName does.
            }
        }
    }

    public static JsonObject TemplateLabels(JsonObject owner) =>
        owner.At("spec", "template", "metadata", "labels")?.DeepClone() as JsonObject ?? [];

    public static JsonObject TemplateSpec(JsonObject owner) =>
        owner.At("spec", "template", "spec")?.DeepClone() as JsonObject ?? [];

    /// <summary>Ready for minReadySeconds (podutil.IsPodAvailable); otherwise when it will be, if it is Ready at all.</summary>
    public static bool IsAvailable(JsonObject pod, JsonObject owner, DateTimeOffset now, ref DateTimeOffset? recheck)
    {
        if (ReplicaSetSync.ReadySince(pod) is not { } since)
        {
            return false;
        }
        var at = since + TimeSpan.FromSeconds(owner.LongAt("spec", "minReadySeconds") ?? 0);
        if (at <= now)
        {
            return true;
        }
        recheck = recheck is null || at < recheck ? at : recheck;
        return false;
    }

    public static bool IsReady(JsonObject pod) => ReplicaSetSync.ReadySince(pod) is not null;

    /// <summary>v1helper.TolerationsTolerateTaint for one taint.</summary>
    public static bool Tolerates(IEnumerable<JsonObject> tolerations, JsonObject taint) => tolerations.Any(t =>
        (t.StringAt("effect") is null or "" || t.StringAt("effect") == taint.StringAt("effect"))
        && (t.StringAt("operator") == "Exists"
            ? t.StringAt("key") is null or "" || t.StringAt("key") == taint.StringAt("key")
            : t.StringAt("key") == taint.StringAt("key") && (t.StringAt("value") ?? "") == (taint.StringAt("value") ?? "")));

    /// <summary>Deleted at once, as the ReplicaSet stand-in does: the emulated kubelet stops containers instantly.</summary>
    public static void Delete(ObjectStore store, JsonObject pod)
    {
        try
        {
            store.Delete(CoreKinds.Pods, pod.Namespace(), pod.Name(), pod.StringAt("metadata", "uid"));
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone or replaced already.
        }
    }

    /// <summary>Writes the status a sync computed, unless it is what the object already says (no write, no event, no loop).</summary>
    public static void WriteStatus(ObjectStore store, ResourceKind kind, JsonObject owner, JsonObject status)
    {
        if (PodTemplateHash.Canonical(status) == PodTemplateHash.Canonical(owner["status"]))
        {
            return;
        }
        try
        {
            store.Mutate(kind, owner.Namespace(), owner.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != owner.StringAt("metadata", "uid"))
                {
                    return false;
                }
                current["status"] = status;
                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted meanwhile.
        }
    }
}
