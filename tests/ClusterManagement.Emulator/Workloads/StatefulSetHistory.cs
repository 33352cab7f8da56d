using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>
/// A StatefulSet's ControllerRevisions as pkg/controller/statefulset and pkg/controller/history keep
/// them: the data is getPatch's strategic merge patch that restores the template
/// (<c>{"spec":{"template":{"$patch":"replace",...}}}</c>, keys sorted as Go's json.Marshal writes a
/// map), named <c>&lt;set&gt;-&lt;hash&gt;</c> (HashControllerRevision: FNV-32 of the data and the
/// collision count, in rand.SafeEncodeString's alphabet), labelled with the template's labels and
/// controller-revision-hash, owned by the set, carrying its annotations (kubectl's change-cause). An
/// equal revision is reused, and moved to the next number when it is not the latest (a rollback);
/// a name taken by other data counts a collision; history beyond revisionHistoryLimit that no pod,
/// the current nor the update revision uses is deleted, oldest first (truncateHistory).
/// </summary>
internal sealed class StatefulSetHistory(EmulatorContext context, ResourceKind setKind)
{
    public const string HashLabel = "controller-revision-hash";
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private static readonly JsonSerializerOptions GoJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Revisions(JsonObject Current, JsonObject Update, long CollisionCount);

    /// <summary>getStatefulSetRevisions: the current and update revisions, the update one created or reused.</summary>
    public Revisions Sync(JsonObject set)
    {
        var store = context.Store;
        var revisions = Owned(set);
        var collisionCount = set.LongAt("status", "collisionCount") ?? 0;
        var data = Patch(set);
        var equal = revisions.Where(r => Serialize(r["data"]) == data).ToList();
        JsonObject update;
        if (equal.Count > 0 && ReferenceEquals(equal[^1], revisions[^1]))
        {
            update = revisions[^1];
        }
        else if (equal.Count > 0)
        {
            var next = revisions[^1].LongAt("revision")!.Value + 1;
            update = store.Mutate(WorkloadKinds.ControllerRevisions, set.Namespace(), equal[^1].Name(), r =>
            {
                r["revision"] = next;
                return true;
            });
        }
        else
        {
            (update, collisionCount) = Create(set, data, revisions.Count == 0 ? 1 : revisions[^1].LongAt("revision")!.Value + 1, collisionCount);
        }
        var current = revisions.FirstOrDefault(r => r.Name() == set.StringAt("status", "currentRevision")) ?? update;
        return new Revisions(current, update, collisionCount);
    }

    /// <summary>truncateHistory: keeps the live revisions and at most revisionHistoryLimit others, the newest.</summary>
    public void Truncate(JsonObject set, IEnumerable<JsonObject> pods, Revisions live)
    {
        var used = pods.Select(p => p.StringAt("metadata", "labels", HashLabel)).Append(live.Current.Name()).Append(live.Update.Name()).ToHashSet();
        var history = Owned(set).Where(r => !used.Contains(r.Name())).ToList();
        var limit = (int)(set.LongAt("spec", "revisionHistoryLimit") ?? 10);
        foreach (var doomed in history.Take(Math.Max(0, history.Count - limit)))
        {
            try
            {
                context.Store.Delete(WorkloadKinds.ControllerRevisions, doomed.Namespace(), doomed.Name(), doomed.StringAt("metadata", "uid"));
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Gone or replaced already.
            }
        }
    }

    /// <summary>The template a revision restores (ApplyRevision on the set).</summary>
    public static JsonObject Template(JsonObject revision)
    {
        var template = revision.At("data", "spec", "template")?.DeepClone() as JsonObject ?? [];
        template.Remove("$patch");
        return template;
    }

    /// <summary>The set's revisions, oldest first (history.SortControllerRevisions: by revision, then name).</summary>
    private List<JsonObject> Owned(JsonObject set)
    {
        var uid = set.StringAt("metadata", "uid");
        return
        [
            .. context.Store.List(WorkloadKinds.ControllerRevisions, set.Namespace()).Items
                .Where(r => r.OwnerUids.Contains(uid!))
                .Select(r => r.ToJson())
                .Where(r => OwnerIndex.ControllerOf(r)?.StringAt("uid") == uid)
                .OrderBy(r => r.LongAt("revision") ?? 0)
                .ThenBy(r => r.Name(), StringComparer.Ordinal),
        ];
    }

    /// <summary>CreateControllerRevision: retries under the next collision count while another revision holds the name.</summary>
    private (JsonObject Revision, long CollisionCount) Create(JsonObject set, string data, long number, long collisionCount)
    {
        while (true)
        {
            var hash = Hash(data, collisionCount);
            var labels = WorkloadPods.TemplateLabels(set);
            labels[HashLabel] = hash;
            var annotations = set.At("metadata", "annotations")?.DeepClone() as JsonObject;
            var revision = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{Truncated(set.Name())}-{hash}",
                    ["namespace"] = set.Namespace(),
                    ["labels"] = labels,
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1", ["kind"] = setKind.Kind, ["name"] = set.Name(), ["uid"] = set.StringAt("metadata", "uid"),
                        ["controller"] = true, ["blockOwnerDeletion"] = true,
                    }),
                },
                ["data"] = JsonNode.Parse(data),
                ["revision"] = number,
            };
            if (annotations is { Count: > 0 })
            {
                revision.ObjectAt("metadata")["annotations"] = annotations;
            }
            try
            {
                return (context.Store.Create(WorkloadKinds.ControllerRevisions, revision), collisionCount);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                if (context.Store.Get(WorkloadKinds.ControllerRevisions, set.Namespace(), revision.Name()) is { } taken && Serialize(taken["data"]) == data)
                {
                    return (taken, collisionCount);
                }
                collisionCount++;
            }
        }
    }

    /// <summary>ControllerRevisionName: the prefix cut to 223 characters, so the name stays a valid one.</summary>
    private static string Truncated(string name) => name.Length > 223 ? name[..223] : name;

    /// <summary>getPatch: the set's template with the replace directive, as the bytes Go's json.Marshal writes.</summary>
    private static string Patch(JsonObject set)
    {
        var template = set.At("spec", "template")?.DeepClone() as JsonObject ?? [];
        template["$patch"] = "replace";
        return Serialize(new JsonObject { ["spec"] = new JsonObject { ["template"] = template } });
    }

    /// <summary>Keys sorted at every level and nulls kept, as json.Marshal writes a map[string]interface{}.</summary>
    private static string Serialize(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{JsonSerializer.Serialize(p.Key, GoJson)}:{Serialize(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Serialize)) + "]",
        null => "null",
        _ => node.ToJsonString(GoJson),
    };

    /// <summary>HashControllerRevision: FNV-32 (not 1a) of the data, then the collision count in decimal.</summary>
    private static string Hash(string data, long collisionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(data + collisionCount.ToString(CultureInfo.InvariantCulture)))
        {
            hash *= 16777619u;
            hash ^= b;
        }
        return string.Concat(hash.ToString(CultureInfo.InvariantCulture).Select(c => SafeAlphabet[c % SafeAlphabet.Length]));
    }
}
