using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.FieldManagement;

/// <summary>What changed between two versions of an object, as structured-merge-diff's Compare reports it.</summary>
public sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public FieldSet Changed => Modified.Union(Added);
}

/// <summary>
/// The structured-merge-diff operations on objects that field management needs, over the schema in
/// <see cref="FieldSchema"/>: the fields a configuration sets (ToFieldSet), the difference between
/// two versions (Compare: every node of an added or removed subtree, only leaves as modified), the
/// merge of an applied configuration into the live object, and pruning what an applier stopped
/// applying.
/// </summary>
public static class ObjectFields
{
    /// <summary>The fields <paramref name="config"/> sets: leaves, list items (with their keys) and empty maps, not the maps leading to them.</summary>
    public static FieldSet Owned(ResourceKind kind, JsonObject config)
    {
        var set = new FieldSet();
        CollectMap(kind, config, [], set);
        return set;
    }

    public static FieldComparison Compare(ResourceKind kind, JsonObject before, JsonObject after)
    {
        var comparison = new FieldComparison(new FieldSet(), new FieldSet(), new FieldSet());
        CompareMaps(kind, before, after, [], [], comparison);
        return comparison;
    }

    /// <summary>The live object with <paramref name="config"/> merged in: maps by key, keyed and set lists item by item, anything else replaced.</summary>
    public static JsonObject Merge(ResourceKind kind, JsonObject live, JsonObject config) =>
        (JsonObject)MergeValue(kind, live.DeepClone(), config, [])!;

    /// <summary>
    /// Removes from <paramref name="obj"/> what the applier set last time (<paramref name="last"/>) and
    /// nobody owns now (<paramref name="owned"/>, the applier's new configuration included). A field
    /// with owned fields below stays; a list item goes unless someone owns the item itself.
    /// </summary>
    public static void Prune(ResourceKind kind, JsonObject obj, FieldSet last, FieldSet owned) => PruneMap(kind, obj, last, owned, []);

    /// <summary>The path element of a list item: its keys for a keyed list (defaults filled in), its value for a set.</summary>
    public static string ItemElement(ListSchema schema, JsonNode? item) => schema.Type == ListType.Map
        ? FieldSet.Key(schema.Keys
            .Select(k => KeyValuePair.Create(k, item?[k] ?? (schema.KeyDefaults.TryGetValue(k, out var d) ? JsonValue.Create(d) : null)))
            .Where(p => p.Value is not null))
        : FieldSet.Value(item);

    private static void CollectMap(ResourceKind kind, JsonObject map, List<string> fieldPath, FieldSet set)
    {
        foreach (var (key, value) in map)
        {
            fieldPath.Add(key);
            CollectValue(kind, value, fieldPath, set.Child(FieldSet.Field(key)));
            fieldPath.RemoveAt(fieldPath.Count - 1);
        }
    }

    private static void CollectValue(ResourceKind kind, JsonNode? value, List<string> fieldPath, FieldSet node)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } map when !FieldSchema.IsAtomicMap(fieldPath):
                CollectMap(kind, map, fieldPath, node);
                break;
            case JsonArray list when FieldSchema.ListOf(kind, fieldPath) is { Type: not ListType.Atomic } schema:
                foreach (var item in list)
                {
                    var itemNode = node.Child(ItemElement(schema, item));
                    itemNode.MarkMember();
                    if (schema.Type == ListType.Map && item is JsonObject fields)
                    {
                        CollectMap(kind, fields, fieldPath, itemNode);
                    }
                }
                break;
            default:
                node.MarkMember();
                break;
        }
    }

    private static void CompareMaps(ResourceKind kind, JsonObject? before, JsonObject? after, List<string> fieldPath, List<string> path, FieldComparison result)
    {
        var keys = (before ?? []).Select(p => p.Key).Concat((after ?? []).Select(p => p.Key)).Distinct().ToList();
        foreach (var key in keys)
        {
            fieldPath.Add(key);
            path.Add(FieldSet.Field(key));
            JsonNode? lhs = null, rhs = null;
            var inBefore = before is not null && before.TryGetPropertyValue(key, out lhs);
            var inAfter = after is not null && after.TryGetPropertyValue(key, out rhs);
            CompareValues(kind, lhs, inBefore, rhs, inAfter, fieldPath, path, result);
            fieldPath.RemoveAt(fieldPath.Count - 1);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void CompareValues(ResourceKind kind, JsonNode? lhs, bool inBefore, JsonNode? rhs, bool inAfter, List<string> fieldPath, List<string> path, FieldComparison result)
    {
        var shape = rhs ?? lhs;
        var bothEmpty = IsEmptyMap(lhs) && IsEmptyMap(rhs);
        if (shape is JsonObject && !bothEmpty && !FieldSchema.IsAtomicMap(fieldPath) && lhs is null or JsonObject && rhs is null or JsonObject)
        {
            CompareMaps(kind, lhs as JsonObject, rhs as JsonObject, fieldPath, path, result);
        }
        else if (shape is JsonArray && FieldSchema.ListOf(kind, fieldPath) is { Type: not ListType.Atomic } schema && lhs is null or JsonArray && rhs is null or JsonArray)
        {
            CompareLists(kind, schema, lhs as JsonArray, rhs as JsonArray, fieldPath, path, result);
        }
        else
        {
            if (inBefore && inAfter && !JsonNode.DeepEquals(lhs, rhs))
            {
                result.Modified.Insert(path);
            }
        }
        if (!inBefore && inAfter)
        {
            result.Added.Insert(path);
        }
        else if (inBefore && !inAfter)
        {
            result.Removed.Insert(path);
        }
    }

    private static void CompareLists(ResourceKind kind, ListSchema schema, JsonArray? before, JsonArray? after, List<string> fieldPath, List<string> path, FieldComparison result)
    {
        var lhs = Index(schema, before);
        var rhs = Index(schema, after);
        foreach (var element in lhs.Keys.Concat(rhs.Keys).Distinct().ToList())
        {
            path.Add(element);
            var inBefore = lhs.TryGetValue(element, out var l);
            var inAfter = rhs.TryGetValue(element, out var r);
            if (schema.Type == ListType.Map)
            {
                CompareMaps(kind, l as JsonObject, r as JsonObject, fieldPath, path, result);
            }
            if (!inBefore)
            {
                result.Added.Insert(path);
            }
            else if (!inAfter)
            {
                result.Removed.Insert(path);
            }
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>List items by their path element; a duplicate (which validation refuses elsewhere) counts once.</summary>
    private static Dictionary<string, JsonNode?> Index(ListSchema schema, JsonArray? list)
    {
        var items = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var item in list ?? [])
        {
            items.TryAdd(ItemElement(schema, item), item);
        }
        return items;
    }

    private static bool IsEmptyMap(JsonNode? node) => node is null or JsonObject { Count: 0 };

    private static JsonNode? MergeValue(ResourceKind kind, JsonNode? live, JsonNode? config, List<string> fieldPath)
    {
        if (config is JsonObject configMap && live is JsonObject liveMap && !FieldSchema.IsAtomicMap(fieldPath))
        {
            foreach (var (key, value) in configMap)
            {
                fieldPath.Add(key);
                var merged = value is null ? null : MergeValue(kind, liveMap[key], value, fieldPath);
                fieldPath.RemoveAt(fieldPath.Count - 1);
                if (merged is null)
                {
                    liveMap.Remove(key);
                }
                else if (!ReferenceEquals(merged, liveMap[key]))
                {
                    liveMap[key] = merged;
                }
            }
            return liveMap;
        }
        if (config is JsonArray configList && live is JsonArray liveList && FieldSchema.ListOf(kind, fieldPath) is { Type: not ListType.Atomic } schema)
        {
            var merged = new JsonArray();
            var configItems = Index(schema, configList);
            var liveElements = new HashSet<string>();
            foreach (var item in liveList)
            {
                var element = ItemElement(schema, item);
                liveElements.Add(element);
                merged.Add(configItems.TryGetValue(element, out var update) ? MergeValue(kind, item?.DeepClone(), update, fieldPath) : item?.DeepClone());
            }
            foreach (var item in configList.Where(i => !liveElements.Contains(ItemElement(schema, i))))
            {
                merged.Add(item?.DeepClone());
            }
            return merged;
        }
        return config?.DeepClone();
    }

    private static void PruneMap(ResourceKind kind, JsonObject obj, FieldSet last, FieldSet owned, List<string> fieldPath)
    {
        foreach (var (element, lastChild) in last.Children)
        {
            var name = element[2..];
            if (!element.StartsWith("f:", StringComparison.Ordinal) || !obj.ContainsKey(name))
            {
                continue;
            }
            if (owned.Find(element) is not { } ownedChild)
            {
                obj.Remove(name);
                continue;
            }
            fieldPath.Add(name);
            switch (obj[name])
            {
                case JsonObject map when !FieldSchema.IsAtomicMap(fieldPath):
                    PruneMap(kind, map, lastChild, ownedChild, fieldPath);
                    if (map.Count == 0 && !ownedChild.IsMember)
                    {
                        obj.Remove(name);
                    }
                    break;
                case JsonArray list when FieldSchema.ListOf(kind, fieldPath) is { Type: not ListType.Atomic } schema:
                    PruneList(kind, schema, list, lastChild, ownedChild, fieldPath);
                    break;
            }
            fieldPath.RemoveAt(fieldPath.Count - 1);
        }
    }

    private static void PruneList(ResourceKind kind, ListSchema schema, JsonArray list, FieldSet last, FieldSet owned, List<string> fieldPath)
    {
        foreach (var item in list.ToList())
        {
            var element = ItemElement(schema, item);
            if (last.Find(element) is not { } lastItem)
            {
                continue;
            }
            if (owned.Find(element) is not { IsMember: true } ownedItem)
            {
                list.Remove(item);
            }
            else if (schema.Type == ListType.Map && item is JsonObject fields)
            {
                PruneMap(kind, fields, lastItem, ownedItem, fieldPath);
            }
        }
    }
}
