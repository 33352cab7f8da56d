using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Storage;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>
/// The claims of a StatefulSet's volumeClaimTemplates as pkg/controller/statefulset makes them
/// (stateful_pod_control.go, stateful_set_utils.go): <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>,
/// labelled with the template's labels and the set's matchLabels, created (through the claim defaults
/// and pvc-protection) before their pod, which mounts each under the template's name. They outlive
/// their pods; persistentVolumeClaimRetentionPolicy decides who owns them (updateClaimOwnerRefForSetAndPod):
/// whenDeleted Delete makes the set their controller, whenScaled Delete makes a pod above the replica
/// count theirs, so the garbage collector deletes them with it.
/// </summary>
internal sealed class StatefulSetClaims(EmulatorContext context, ResourceKind setKind)
{
    private static IEnumerable<JsonObject> Templates(JsonObject set) => set.ObjectsAt("spec", "volumeClaimTemplates");

    public static string ClaimName(JsonObject template, JsonObject set, int ordinal) => $"{template.StringAt("metadata", "name")}-{set.Name()}-{ordinal}";

    /// <summary>
    /// createPersistentVolumeClaims, after PodClaimIsStale: creates the pod's missing claims; false when
    /// the pod must wait, because a claim is being deleted or still belongs to an earlier pod of that name.
    /// </summary>
    public bool Prepare(JsonObject set, int ordinal)
    {
        var store = context.Store;
        var podName = $"{set.Name()}-{ordinal}";
        var deleteWhenScaled = Policy(set, "whenScaled") == "Delete";
        var ready = true;
        foreach (var template in Templates(set))
        {
            var name = ClaimName(template, set, ordinal);
            if (store.Get(StorageKinds.PersistentVolumeClaims, set.Namespace(), name) is { } existing)
            {
                var stale = deleteWhenScaled && existing.ObjectsAt("metadata", "ownerReferences").Any(r => r.StringAt("kind") == "Pod" && r.StringAt("name") == podName);
                ready &= existing.At("metadata", "deletionTimestamp") is null && !stale;
                continue;
            }
            var claim = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = set.Namespace(),
                    ["labels"] = Labels(set, template),
                },
                ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
            };
            if (template.At("metadata", "annotations") is JsonObject annotations)
            {
                claim.ObjectAt("metadata")["annotations"] = annotations.DeepClone();
            }
            StorageAdmission.DefaultClaim(claim, store);
            try
            {
                store.Create(StorageKinds.PersistentVolumeClaims, claim);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                ready = false;
            }
        }
        return ready;
    }

    /// <summary>updateStorage: a volume per template, named as the template, on the pod's claim; the template's own volumes of those names give way.</summary>
    public static void Mount(JsonObject set, JsonObject podSpec, int ordinal)
    {
        var templates = Templates(set).ToList();
        if (templates.Count == 0)
        {
            return;
        }
        var names = templates.Select(t => t.StringAt("metadata", "name")).ToHashSet();
        var volumes = new JsonArray([.. templates.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.StringAt("metadata", "name"),
            ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = ClaimName(t, set, ordinal) },
        })]);
        foreach (var own in podSpec.ObjectsAt("volumes").Where(v => !names.Contains(v.StringAt("name"))))
        {
            volumes.Add(own.DeepClone());
        }
        podSpec["volumes"] = volumes;
    }

    /// <summary>updateClaimOwnerRefForSetAndPod for each claim of a pod that exists.</summary>
    public void Own(JsonObject set, JsonObject pod, int ordinal, int replicas)
    {
        var scaledDown = ordinal >= replicas;
        var (whenDeleted, whenScaled) = (Policy(set, "whenDeleted"), Policy(set, "whenScaled"));
        foreach (var template in Templates(set))
        {
            var name = ClaimName(template, set, ordinal);
            try
            {
                context.Store.Mutate(StorageKinds.PersistentVolumeClaims, set.Namespace(), name, claim =>
                {
                    var before = claim.At("metadata", "ownerReferences")?.ToJsonString();
                    var references = claim.ObjectsAt("metadata", "ownerReferences").ToList();
                    // hasUnexpectedController: someone else controls it, so the set and pod only drop their references.
                    var unexpected = references.Any(r => r.BoolAt("controller") && r.StringAt("uid") != set.StringAt("metadata", "uid") && r.StringAt("uid") != pod.StringAt("metadata", "uid"));
                    var kept = references.Where(r => !Matches(r, "apps", setKind.Kind, set.Name()) && !Matches(r, "", "Pod", pod.Name())).Select(r => r.DeepClone()).ToList();
                    if (!unexpected)
                    {
                        if (whenScaled == "Delete" && scaledDown)
                        {
                            kept.Add(ControllerReference("v1", "Pod", pod));
                        }
                        else if (whenDeleted == "Delete" && (whenScaled == "Retain" || !scaledDown))
                        {
                            kept.Add(ControllerReference("apps/v1", setKind.Kind, set));
                        }
                    }
                    if (kept.Count == 0)
                    {
                        claim.Metadata().Remove("ownerReferences");
                    }
                    else
                    {
                        claim.Metadata()["ownerReferences"] = new JsonArray([.. kept]);
                    }
                    return claim.At("metadata", "ownerReferences")?.ToJsonString() != before;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted by hand: the next pod of this ordinal gets a new one.
            }
        }
    }

    private static string Policy(JsonObject set, string field) => set.StringAt("spec", "persistentVolumeClaimRetentionPolicy", field) ?? "Retain";

    private static JsonObject Labels(JsonObject set, JsonObject template)
    {
        var labels = template.At("metadata", "labels")?.DeepClone() as JsonObject ?? [];
        foreach (var (key, value) in set.At("spec", "selector", "matchLabels") as JsonObject ?? [])
        {
            labels[key] = value?.DeepClone();
        }
        return labels;
    }

    /// <summary>matchesRef: the same group, kind and name, whatever the uid.</summary>
    private static bool Matches(JsonObject reference, string group, string kind, string name)
    {
        var apiVersion = reference.StringAt("apiVersion") ?? "";
        var referenceGroup = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        return referenceGroup == group && reference.StringAt("kind") == kind && reference.StringAt("name") == name;
    }

    private static JsonObject ControllerReference(string apiVersion, string kind, JsonObject owner) => new()
    {
        ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = owner.Name(), ["uid"] = owner.StringAt("metadata", "uid"),
        ["controller"] = true, ["blockOwnerDeletion"] = true,
    };
}
