using System.Globalization;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// pkg/controller/deployment/util (deployment_util.go): annotations, revisions, fenceposts and the
/// ReplicaSet orderings the deployment controller relies on.
/// </summary>
public static class DeploymentUtil
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";
    public const string RollbackToAnnotation = "deprecated.deployment.rollback.to";

    /// <summary>Deployment annotations that are not copied onto its ReplicaSets.</summary>
    public static readonly HashSet<string> AnnotationsToSkip =
        [LastAppliedAnnotation, RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotation, MaxReplicasAnnotation, RollbackToAnnotation];

    /// <summary>The real limit is in characters of the history annotation.</summary>
    private const int MaxRevisionHistoryChars = 2000;

    public static long Replicas(JsonObject obj) => obj.LongAt("spec", "replicas") ?? 1;

    public static long StatusReplicas(JsonObject rs) => rs.LongAt("status", "replicas") ?? 0;

    public static long Available(JsonObject obj) => obj.LongAt("status", "availableReplicas") ?? 0;

    public static long Ready(JsonObject obj) => obj.LongAt("status", "readyReplicas") ?? 0;

    public static long Revision(JsonObject rs) =>
        long.TryParse(Annotation(rs, RevisionAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;

    public static string? Annotation(JsonObject obj, string key) => obj.StringAt("metadata", "annotations", key);

    public static void SetAnnotation(JsonObject obj, string key, string value) => obj.Metadata().ObjectAt("annotations")[key] = value;

    public static bool IsRollingUpdate(JsonObject d) => d.StringAt("spec", "strategy", "type") != "Recreate";

    public static bool HasProgressDeadline(JsonObject d) => d.LongAt("spec", "progressDeadlineSeconds") is { } s && s != int.MaxValue;

    /// <summary>ResolveFenceposts: surge rounds up, unavailability down, and both zero means one unavailable.</summary>
    public static (long Surge, long Unavailable) Fenceposts(JsonObject d)
    {
        var desired = Replicas(d);
        var surge = Scaled(d.At("spec", "strategy", "rollingUpdate", "maxSurge"), desired, roundUp: true);
        var unavailable = Scaled(d.At("spec", "strategy", "rollingUpdate", "maxUnavailable"), desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    public static long MaxSurge(JsonObject d) => IsRollingUpdate(d) ? Fenceposts(d).Surge : 0;

    public static long MaxUnavailable(JsonObject d)
    {
        if (!IsRollingUpdate(d) || Replicas(d) == 0)
        {
            return 0;
        }
        return Math.Min(Fenceposts(d).Unavailable, Replicas(d));
    }

    private static long Scaled(JsonNode? value, long total, bool roundUp)
    {
        if (value is not JsonValue v)
        {
            return 0;
        }
        if (v.TryGetValue<string>(out var text))
        {
            if (!text.EndsWith('%') || !long.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent))
            {
                return 0;
            }
            var exact = percent * total / 100.0;
            return (long)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }
        return v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : 0;
    }

    /// <summary>EqualIgnoreHash: templates compared without the pod-template-hash label.</summary>
    public static bool EqualIgnoreHash(JsonNode? a, JsonNode? b) =>
        PodTemplateHash.Canonical(WithoutHash(a)) == PodTemplateHash.Canonical(WithoutHash(b));

    private static JsonNode? WithoutHash(JsonNode? template)
    {
        if (template?.DeepClone() is not JsonObject copy)
        {
            return null;
        }
        if (copy.At("metadata", "labels") is JsonObject labels)
        {
            labels.Remove(PodTemplateHash.Label);
        }
        return copy;
    }

    /// <summary>ReplicaSetsByCreationTimestamp: oldest first, names breaking ties.</summary>
    public static List<JsonObject> ByCreation(IEnumerable<JsonObject> sets) =>
        [.. sets.OrderBy(r => r.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal).ThenBy(r => r.Name(), StringComparer.Ordinal)];

    public static List<JsonObject> ByRevision(IEnumerable<JsonObject> sets) =>
        [.. ByCreation(sets).OrderBy(Revision)];

    public static List<JsonObject> Active(IEnumerable<JsonObject?> sets) => [.. sets.OfType<JsonObject>().Where(r => Replicas(r) > 0)];

    public static long SpecTotal(IEnumerable<JsonObject?> sets) => sets.OfType<JsonObject>().Sum(Replicas);

    /// <summary>SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision and records the old one.</summary>
    public static bool SetNewReplicaSetAnnotations(JsonObject d, JsonObject rs, long newRevision, bool exists)
    {
        var changed = false;
        foreach (var (key, value) in d.At("metadata", "annotations") as JsonObject ?? [])
        {
            var text = value?.GetValue<string>() ?? "";
            if (!AnnotationsToSkip.Contains(key) && Annotation(rs, key) != text)
            {
                SetAnnotation(rs, key, text);
                changed = true;
            }
        }
        var oldRevision = Annotation(rs, RevisionAnnotation);
        var oldNumber = long.TryParse(oldRevision, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (oldNumber < newRevision)
        {
            SetAnnotation(rs, RevisionAnnotation, newRevision.ToString(CultureInfo.InvariantCulture));
            changed = true;
            if (!string.IsNullOrEmpty(oldRevision))
            {
                var history = Annotation(rs, RevisionHistoryAnnotation);
                var entries = string.IsNullOrEmpty(history) ? new List<string>() : [.. history.Split(',')];
                entries.Add(oldRevision);
                while (string.Join(",", entries).Length > MaxRevisionHistoryChars && entries.Count > 1)
                {
                    entries.RemoveAt(0);
                }
                SetAnnotation(rs, RevisionHistoryAnnotation, string.Join(",", entries));
            }
        }
        if (!exists)
        {
            SetReplicasAnnotations(rs, Replicas(d), Replicas(d) + MaxSurge(d));
            changed = true;
        }
        return changed;
    }

    public static bool SetReplicasAnnotations(JsonObject rs, long desired, long max)
    {
        var desiredText = desired.ToString(CultureInfo.InvariantCulture);
        var maxText = max.ToString(CultureInfo.InvariantCulture);
        if (Annotation(rs, DesiredReplicasAnnotation) == desiredText && Annotation(rs, MaxReplicasAnnotation) == maxText)
        {
            return false;
        }
        SetAnnotation(rs, DesiredReplicasAnnotation, desiredText);
        SetAnnotation(rs, MaxReplicasAnnotation, maxText);
        return true;
    }

    public static long? DesiredReplicasAnnotationOf(JsonObject rs) =>
        long.TryParse(Annotation(rs, DesiredReplicasAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? MaxReplicasAnnotationOf(JsonObject rs) =>
        long.TryParse(Annotation(rs, MaxReplicasAnnotation), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static JsonObject NewCondition(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastUpdateTime"] = Timestamps.Format(now),
        ["lastTransitionTime"] = Timestamps.Format(now),
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>SetDeploymentCondition: same status and reason changes nothing; same status keeps the transition time.</summary>
    public static void SetCondition(JsonObject status, JsonObject condition)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        var type = condition.StringAt("type");
        var current = conditions.OfType<JsonObject>().FirstOrDefault(c => c.StringAt("type") == type);
        if (current is not null && current.StringAt("status") == condition.StringAt("status") && current.StringAt("reason") == condition.StringAt("reason"))
        {
            return;
        }
        if (current is not null && current.StringAt("status") == condition.StringAt("status"))
        {
            condition["lastTransitionTime"] = current.StringAt("lastTransitionTime");
        }
        var kept = conditions.OfType<JsonObject>().Where(c => c.StringAt("type") != type).Select(c => (JsonNode)c.DeepClone()).ToList();
        kept.Add(condition);
        status["conditions"] = new JsonArray([.. kept]);
    }

    public static void RemoveCondition(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray conditions)
        {
            status["conditions"] = new JsonArray([.. conditions.OfType<JsonObject>().Where(c => c.StringAt("type") != type).Select(c => (JsonNode)c.DeepClone())]);
        }
    }

    public static JsonObject? ConditionOf(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.StringAt("type") == type);
}
