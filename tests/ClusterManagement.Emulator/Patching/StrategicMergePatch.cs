using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Patching;

/// <summary>
/// Strategic merge patch for the fields the module and kubectl touch. Real merge keys come from Go
/// struct tags; here they are a table by field name (ports depend on whether they are a Service's).
/// Maps merge, null deletes, keyed lists merge by key, other lists are replaced; directives
/// $patch (merge/replace/delete), $retainKeys, $setElementOrder/&lt;list&gt; and
/// $deleteFromPrimitiveList/&lt;list&gt;.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    private static readonly Dictionary<string, string> MergeKeys = new()
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort",
        ["conditions"] = "type",
        ["addresses"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
    };

    /// <summary>Primitive lists whose patch strategy is merge (a union), not replace.</summary>
    private static readonly HashSet<string> MergedPrimitiveLists = ["finalizers"];

    public static JsonObject Apply(JsonObject target, JsonObject patch, ResourceKind kind) =>
        MergeMap(target, patch, kind, "") ?? new JsonObject();

    private static JsonObject? MergeMap(JsonObject? target, JsonObject patch, ResourceKind kind, string path)
    {
        switch (patch.StringAt(PatchDirective))
        {
            case "delete":
                return null;
            case "replace":
                return WithoutDirectives(patch);
            case null or "merge":
                break;
            default:
                throw Status.BadRequest($"Unknown patch type: {patch.StringAt(PatchDirective)}");
        }
        var result = target ?? new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var listName = key[DeleteFromPrimitiveListPrefix.Length..];
                if (result[listName] is JsonArray list && value is JsonArray doomed)
                {
                    foreach (var item in list.Where(i => doomed.Any(d => JsonNode.DeepEquals(d, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }
            }
            else if (key.StartsWith('$'))
            {
                continue;
            }
            else if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                var childPath = $"{path}/{key}";
                var existing = result[key];
                var merged = MergeValue(existing, value, key, kind, childPath);
                if (merged is null)
                {
                    result.Remove(key);
                }
                else if (!ReferenceEquals(merged, existing))
                {
                    // Assigning over the existing key keeps its position, so patched objects read like the originals.
                    result[key] = merged;
                }
            }
        }
        foreach (var (key, order) in patch.Where(p => p.Key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)).ToList())
        {
            var listName = key[SetElementOrderPrefix.Length..];
            if (result[listName] is JsonArray list && order is JsonArray orderList)
            {
                result[listName] = Reorder(list, orderList, MergeKeyFor(listName, kind, $"{path}/{listName}"));
            }
        }
        if (patch[RetainKeysDirective] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }
        return result;
    }

    private static JsonNode? MergeValue(JsonNode? target, JsonNode patch, string field, ResourceKind kind, string path) => patch switch
    {
        JsonObject patchObject => MergeMap(target as JsonObject, patchObject, kind, path),
        JsonArray patchList when MergeKeyFor(field, kind, path) is { } mergeKey => MergeKeyedList(target as JsonArray, patchList, mergeKey, kind, path),
        JsonArray patchList when MergedPrimitiveLists.Contains(field) => Union(target as JsonArray, patchList),
        JsonArray patchList => ReplaceList(patchList),
        _ => patch.DeepClone(),
    };

    private static JsonArray MergeKeyedList(JsonArray? target, JsonArray patch, string mergeKey, ResourceKind kind, string path)
    {
        if (patch.OfType<JsonObject>().Any(p => p.StringAt(PatchDirective) == "replace"))
        {
            return ReplaceList(new JsonArray(patch.Where(p => p.StringAt(PatchDirective) != "replace").Select(p => p?.DeepClone()).ToArray()));
        }
        var result = target ?? [];
        foreach (var element in patch.OfType<JsonObject>())
        {
            var key = element[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], key));
            if (element.StringAt(PatchDirective) == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
            }
            else if (existing is not null)
            {
                if (MergeMap(existing, element, kind, path) is { } merged && !ReferenceEquals(merged, existing))
                {
                    result[result.IndexOf(existing)] = merged;
                }
            }
            else
            {
                result.Add(WithoutDirectives(element));
            }
        }
        return result;
    }

    private static JsonArray Union(JsonArray? target, JsonArray patch)
    {
        var result = target ?? [];
        foreach (var item in patch.Where(p => !result.Any(r => JsonNode.DeepEquals(r, p))))
        {
            result.Add(item?.DeepClone());
        }
        return result;
    }

    private static JsonArray ReplaceList(JsonArray patch) =>
        new(patch.Select(p => p is JsonObject o ? WithoutDirectives(o) : p?.DeepClone()).ToArray());

    /// <summary>Listed elements first in the given order, then the rest in their existing order.</summary>
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        var remaining = list.Select(i => i).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var match = remaining.FirstOrDefault(i => mergeKey is null
                ? JsonNode.DeepEquals(i, wanted)
                : JsonNode.DeepEquals(i?[mergeKey], wanted?[mergeKey]));
            if (match is not null)
            {
                ordered.Add(match);
                remaining.Remove(match);
            }
        }
        return new JsonArray([.. ordered.Concat(remaining).Select(i => i?.DeepClone())]);
    }

    private static JsonObject WithoutDirectives(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj.Where(p => !p.Key.StartsWith('$')))
        {
            copy[key] = value is JsonObject child ? WithoutDirectives(child) : value?.DeepClone();
        }
        return copy;
    }

    /// <summary>Service ports are keyed by port; container ports by containerPort.</summary>
    private static string? MergeKeyFor(string field, ResourceKind kind, string path) =>
        field == "ports" && kind.Kind == "Service" && path == "/spec/ports" ? "port" : MergeKeys.GetValueOrDefault(field);
}
