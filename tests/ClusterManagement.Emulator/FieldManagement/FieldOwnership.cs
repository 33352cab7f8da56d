using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.FieldManagement;

/// <summary>
/// metadata.managedFields as k8s.io/apiserver's field manager keeps them. Every create, update and
/// non-apply patch (subresources included) is an Update by its manager, who gains the fields it
/// changed, taking them from everyone else; server-side apply owns exactly the applied fields,
/// removes what the applier stopped applying and nobody else owns, and fails with 409 when it would
/// change a field another manager owns, unless forced.
/// </summary>
public static class FieldOwnership
{
    /// <summary>The Update manager that gets an object's existing fields when it is first applied to without any managedFields.</summary>
    public const string BeforeFirstApply = "before-first-apply";

    private const int MaxManagerLength = 128;

    /// <summary>Fields nobody owns (stripMeta): identity and server-set metadata.</summary>
    private static readonly FieldSet Unowned = BuildUnowned();

    /// <summary>
    /// The manager a write is recorded under: ?fieldManager, else the User-Agent up to its first '/'
    /// (prefixFromUserAgent). Refuses the options the API server refuses, with its 422.
    /// </summary>
    public static string ManagerOf(ApiRequest request)
    {
        var manager = request.Query("fieldManager") ?? "";
        var apply = IsApply(request);
        var options = request.Verb switch { "create" => "CreateOptions", "update" => "UpdateOptions", _ => "PatchOptions" };
        if (apply && manager.Length == 0)
        {
            throw InvalidOptions(options, "fieldManager", "FieldValueRequired", "Required value: is required for apply patch");
        }
        if (!apply && request.Verb == "patch" && request.Query("force") is not null)
        {
            throw InvalidOptions(options, "force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch");
        }
        if (Encoding.UTF8.GetByteCount(manager) > MaxManagerLength)
        {
            throw InvalidOptions(options, "fieldManager", "FieldValueTooLong", $"Too long: may not be more than {MaxManagerLength} bytes");
        }
        if (manager.Length > 0)
        {
            return manager;
        }
        var agent = request.Http.Request.Headers.UserAgent.ToString().Split('/')[0];
        var prefix = new StringBuilder();
        foreach (var rune in agent.EnumerateRunes().Where(IsPrintable))
        {
            if (prefix.Length > 0 && Encoding.UTF8.GetByteCount(prefix.ToString()) + rune.Utf8SequenceLength > MaxManagerLength)
            {
                break;
            }
            prefix.Append(rune.ToString());
        }
        return prefix.ToString();
    }

    /// <summary>
    /// Records a write that is not an apply (those record their own in <see cref="Apply"/>):
    /// <paramref name="old"/> is null for a create, which is compared with the kind's zero value.
    /// Updates of an object without managedFields (seeded, or written by a controller) record
    /// nothing, as on the API server; its first apply gives its fields to "before-first-apply".
    /// </summary>
    public static void RecordUpdate(ApiRequest request, JsonObject? old, JsonObject next)
    {
        if (IsApply(request))
        {
            return;
        }
        var manager = ManagerOf(request);
        var kind = request.Kind;
        // A client may replace managedFields with its own (a non-empty list); on a subresource, or when it sends none, they stay.
        var entries = request.Subresource is null && next.At("metadata", "managedFields") is JsonArray { Count: > 0 }
            ? ManagedFieldsEntry.Decode(next)
            : ManagedFieldsEntry.Decode(old);
        if (old is not null && entries.Count == 0)
        {
            // An object nobody tracks stays untracked until its first apply (skipNonAppliedManager).
            SetEntries(next, entries);
            return;
        }
        var before = WithoutManagedFields(old) ?? FieldSchema.ZeroObject(kind);
        var comparison = ObjectFields.Compare(kind, before, WithoutManagedFields(next)!);
        TakeOver(entries, kind.GroupVersion, manager, ManagedFieldsEntry.Update, request.Subresource, Owned(kind, request.Subresource, comparison.Changed), comparison.Removed, Now(request));
        SetEntries(next, entries);
    }

    /// <summary>
    /// Server-side apply of <paramref name="config"/> by <paramref name="manager"/> to <paramref name="live"/>
    /// (null: the object does not exist yet). Returns the new object with its managedFields;
    /// <paramref name="changed"/> is false when neither the object nor its owners change.
    /// </summary>
    public static JsonObject Apply(ApiRequest request, string manager, JsonObject? live, JsonObject config, bool force, out bool changed)
    {
        if (config.At("metadata", "managedFields") is not null)
        {
            throw Status.BadRequest("metadata.managedFields must be nil");
        }
        var kind = request.Kind;
        var subresource = request.Subresource;
        var now = Now(request);
        var liveObject = WithoutManagedFields(live);
        var before = liveObject ?? FieldSchema.ZeroObject(kind);
        var entries = ManagedFieldsEntry.Decode(live);
        if (liveObject is not null && entries.Count == 0)
        {
            // Fields set before anyone applied belong to someone, so that the first apply cannot take them silently.
            var existing = ObjectFields.Compare(kind, FieldSchema.ZeroObject(kind), liveObject);
            TakeOver(entries, kind.GroupVersion, BeforeFirstApply, ManagedFieldsEntry.Update, null, Owned(kind, null, existing.Changed), existing.Removed, now);
        }
        var mine = entries.FirstOrDefault(e => e.SameManagerAs(manager, ManagedFieldsEntry.Apply, kind.GroupVersion, subresource));
        var lastApplied = mine?.Fields;
        if (mine is null)
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = ManagedFieldsEntry.Apply, ApiVersion = kind.GroupVersion, Subresource = subresource, Fields = new FieldSet() };
            entries.Add(mine);
        }
        mine.ApiVersion = kind.GroupVersion;
        mine.Fields = Owned(kind, subresource, ObjectFields.Owned(kind, config));

        var merged = ObjectFields.Merge(kind, liveObject ?? [], config);
        if (subresource is null && kind.HasStatusSubresource)
        {
            merged["status"] = liveObject?["status"]?.DeepClone();
            if (merged["status"] is null)
            {
                merged.Remove("status");
            }
        }
        if (lastApplied is not null)
        {
            var owned = entries.Aggregate(new FieldSet(), (all, e) => all.Union(e.Fields));
            ObjectFields.Prune(kind, merged, lastApplied, owned);
        }

        var comparison = ObjectFields.Compare(kind, before, merged);
        var taken = Owned(kind, subresource, comparison.Changed);
        var conflicts = entries
            .Where(e => e != mine)
            .Select(e => (Entry: e, Paths: e.Fields.Intersection(taken).Members().ToList()))
            .Where(c => c.Paths.Count > 0)
            .OrderBy(c => c.Entry.Identifier, StringComparer.Ordinal)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(conflicts);
        }
        foreach (var other in entries.Where(e => e != mine))
        {
            other.Fields = other.Fields.Difference(taken).Difference(comparison.Removed);
        }
        var objectChanged = liveObject is null || !JsonNode.DeepEquals(liveObject, merged);
        if (objectChanged)
        {
            mine.Time = now;
        }
        SetEntries(merged, entries);
        changed = objectChanged || !JsonNode.DeepEquals(live?.At("metadata", "managedFields"), merged.At("metadata", "managedFields"));
        return merged;
    }

    /// <summary>An Update by <paramref name="manager"/>: it gains <paramref name="changed"/>, everyone else loses it, and nobody keeps <paramref name="removed"/>.</summary>
    private static void TakeOver(List<ManagedFieldsEntry> entries, string apiVersion, string manager, string operation, string? subresource, FieldSet changed, FieldSet removed, string now)
    {
        foreach (var entry in entries)
        {
            entry.Fields = entry.Fields.Difference(changed).Difference(removed);
        }
        if (changed.IsEmpty)
        {
            return;
        }
        var mine = entries.FirstOrDefault(e => e.SameManagerAs(manager, operation, apiVersion, subresource));
        if (mine is null)
        {
            entries.Add(new ManagedFieldsEntry { Manager = manager, Operation = operation, ApiVersion = apiVersion, Subresource = subresource, Time = now, Fields = changed });
            return;
        }
        mine.Fields = mine.Fields.Union(changed);
        mine.Time = now;
    }

    /// <summary>
    /// The fields a write can own: never identity or server-set metadata; through the main resource
    /// never the status of a kind that has a status subresource; through /status only status, through
    /// /scale only spec.replicas (the reset fields of the API server's strategies).
    /// </summary>
    private static FieldSet Owned(ResourceKind kind, string? subresource, FieldSet fields)
    {
        var owned = fields.Difference(Unowned);
        return subresource switch
        {
            null when kind.HasStatusSubresource => owned.WithoutSubtrees(Subtree("status")),
            null => owned,
            "scale" => Within(owned, "spec", "replicas"),
            _ => Within(owned, "status"),
        };
    }

    /// <summary>The members of <paramref name="set"/> at or below the field path <paramref name="fields"/>.</summary>
    private static FieldSet Within(FieldSet set, params string[] fields)
    {
        var result = new FieldSet();
        var elements = fields.Select(FieldSet.Field).ToArray();
        if (elements.Aggregate((FieldSet?)set, (node, element) => node?.Find(element)) is { } below)
        {
            foreach (var path in below.Members())
            {
                result.Insert([.. elements, .. path]);
            }
        }
        return result;
    }

    private static FieldSet Subtree(params string[] fields)
    {
        var set = new FieldSet();
        set.Insert(fields.Select(FieldSet.Field));
        return set;
    }

    private static FieldSet BuildUnowned()
    {
        var set = new FieldSet();
        set.Insert([FieldSet.Field("apiVersion")]);
        set.Insert([FieldSet.Field("kind")]);
        set.Insert([FieldSet.Field("metadata")]);
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            set.Insert([FieldSet.Field("metadata"), FieldSet.Field(field)]);
        }
        return set;
    }

    /// <summary>The API server's apply conflict: 409 Conflict, one cause per field, reason FieldManagerConflict.</summary>
    private static ApiException Conflict(List<(ManagedFieldsEntry Entry, List<IReadOnlyList<string>> Paths)> conflicts)
    {
        var all = conflicts.SelectMany(c => c.Paths.Select(p => (c.Entry, Path: FieldSet.PathString(p)))).ToList();
        var message = all.Count == 1
            ? $"Apply failed with 1 conflict: conflict with {all[0].Entry.Describe()}: {all[0].Path}"
            : $"Apply failed with {all.Count} conflicts: " + string.Join("\n", conflicts.SelectMany(c =>
                new[] { $"conflicts with {c.Entry.Describe()}:" }.Concat(c.Paths.Select(p => $"- {FieldSet.PathString(p)}"))));
        var causes = new JsonArray([.. all.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {c.Entry.Describe()}",
            ["field"] = c.Path,
        })]);
        return new ApiException(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    private static ApiException InvalidOptions(string options, string field, string reason, string message) =>
        new(422, "Invalid", $"{options}.meta.k8s.io \"\" is invalid: {field}: {message}", new JsonObject
        {
            ["group"] = "meta.k8s.io",
            ["kind"] = options,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field }),
        });

    private static bool IsApply(ApiRequest request) => request.Verb == "patch" && request.MediaType == ApplyPatch.MediaType;

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        UnicodeCategory.SpaceSeparator => rune.Value == ' ',
        _ => true,
    };

    private static string Now(ApiRequest request) => Timestamps.Format(request.Services.Time.GetUtcNow());

    private static JsonObject? WithoutManagedFields(JsonObject? obj)
    {
        if (obj?.DeepClone() is not JsonObject copy)
        {
            return null;
        }
        copy.Metadata().Remove("managedFields");
        return copy;
    }

    private static void SetEntries(JsonObject obj, List<ManagedFieldsEntry> entries)
    {
        var encoded = ManagedFieldsEntry.Encode(entries);
        if (encoded.Count == 0)
        {
            obj.Metadata().Remove("managedFields");
        }
        else
        {
            obj.Metadata()["managedFields"] = encoded;
        }
    }
}
