using System.Globalization;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Store;
using static ClusterManagement.Emulator.Apps.DeploymentUtil;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// pkg/controller/deployment for one Deployment: sync.go (new ReplicaSet, revisions, scaling,
/// cleanup, status), rolling.go and recreate.go, progress.go (Progressing, deadline).
/// </summary>
internal sealed class DeploymentSync(EmulatorContext context, OwnerIndex replicaSets)
{
    private const string Progressing = "Progressing";
    private const string AvailableType = "Available";

    private DateTimeOffset Now => context.Time.GetUtcNow();

    /// <summary>Returns when to look again (the progress deadline), if ever.</summary>
    public DateTimeOffset? Sync(string ns, string name)
    {
        if (context.Store.Get(AppsKinds.Deployments, ns, name) is not { } d || d.At("metadata", "deletionTimestamp") is not null)
        {
            return null;
        }
        var uid = d.StringAt("metadata", "uid")!;
        var sets = replicaSets.Owned(uid)
            .Select(r => context.Store.Get(AppsKinds.ReplicaSets, r.Namespace, r.Name))
            .OfType<JsonObject>()
            .Where(r => OwnerIndex.ControllerOf(r)?.StringAt("uid") == uid && r.At("metadata", "deletionTimestamp") is null)
            .ToList();
        if (d.At("spec", "selector") is not JsonObject { Count: > 0 })
        {
            return null;
        }
        CheckPausedConditions(d);
        if (d.BoolAt("spec", "paused"))
        {
            ScaleOnly(d, sets);
        }
        else if (IsScalingEvent(d, sets))
        {
            ScaleOnly(d, sets);
        }
        else if (IsRollingUpdate(d))
        {
            RolloutRolling(d, sets);
        }
        else
        {
            RolloutRecreate(d, sets);
        }
        return Deadline(context.Store.Get(AppsKinds.Deployments, ns, name));
    }

    private static DateTimeOffset? Deadline(JsonObject? d)
    {
        if (d is null || !HasProgressDeadline(d) || ConditionOf(d["status"] as JsonObject, Progressing) is not { } cond
            || cond.StringAt("status") != "True" || cond.StringAt("reason") == "NewReplicaSetAvailable")
        {
            return null;
        }
        return Timestamps.Parse(cond.StringAt("lastUpdateTime"))?.AddSeconds(d.LongAt("spec", "progressDeadlineSeconds")!.Value + 1);
    }

    private void CheckPausedConditions(JsonObject d)
    {
        var status = d.ObjectAt("status");
        var cond = ConditionOf(status, Progressing);
        if (cond?.StringAt("reason") == "ProgressDeadlineExceeded")
        {
            return;
        }
        var pausedCondition = cond?.StringAt("reason") == "DeploymentPaused";
        var paused = d.BoolAt("spec", "paused");
        if (paused && !pausedCondition)
        {
            SetCondition(status, NewCondition(Progressing, "Unknown", "DeploymentPaused", "Deployment is paused", Now));
            WriteDeployment(d);
        }
        else if (!paused && pausedCondition)
        {
            SetCondition(status, NewCondition(Progressing, "Unknown", "DeploymentResumed", "Deployment is resumed", Now));
            WriteDeployment(d);
        }
    }

    private void ScaleOnly(JsonObject d, List<JsonObject> sets)
    {
        var (newRs, oldSets) = AllReplicaSetsAndSyncRevision(d, sets, create: false);
        Scale(d, newRs, oldSets);
        if (d.BoolAt("spec", "paused"))
        {
            Cleanup(d, oldSets);
        }
        var status = CalculateStatus(CurrentAll([.. oldSets, newRs]), Current(newRs), d);
        WriteStatus(d, status);
    }

    private void RolloutRolling(JsonObject d, List<JsonObject> sets)
    {
        var (newRs, oldSets) = AllReplicaSetsAndSyncRevision(d, sets, create: true);
        if (newRs is null)
        {
            return;
        }
        if (ReconcileNewReplicaSet(d, [.. oldSets, newRs], newRs) is { } scaled)
        {
            SyncRolloutStatus(d, CurrentAll([.. oldSets, scaled]), scaled);
            return;
        }
        if (ReconcileOldReplicaSets(d, newRs, oldSets))
        {
            SyncRolloutStatus(d, CurrentAll([.. oldSets, newRs]), Current(newRs));
            return;
        }
        if (DeploymentComplete(d, d["status"] as JsonObject))
        {
            Cleanup(d, oldSets);
        }
        SyncRolloutStatus(d, CurrentAll([.. oldSets, newRs]), Current(newRs));
    }

    private void RolloutRecreate(JsonObject d, List<JsonObject> sets)
    {
        var (newRs, oldSets) = AllReplicaSetsAndSyncRevision(d, sets, create: false);
        var scaledDown = false;
        foreach (var old in Active(oldSets))
        {
            scaledDown |= ScaleReplicaSet(d, old, 0) is not null;
        }
        if (scaledDown || CurrentAll(oldSets).Any(r => StatusReplicas(r) > 0))
        {
            SyncRolloutStatus(d, CurrentAll([.. oldSets, newRs]), Current(newRs));
            return;
        }
        if (newRs is null)
        {
            (newRs, oldSets) = AllReplicaSetsAndSyncRevision(d, CurrentAll(sets), create: true);
            if (newRs is null)
            {
                return;
            }
        }
        ScaleReplicaSet(d, newRs, Replicas(d));
        if (DeploymentComplete(d, d["status"] as JsonObject))
        {
            Cleanup(d, oldSets);
        }
        SyncRolloutStatus(d, CurrentAll([.. oldSets, newRs]), Current(newRs));
    }

    /// <summary>getAllReplicaSetsAndSyncRevision / getNewReplicaSet.</summary>
    private (JsonObject? New, List<JsonObject> Old) AllReplicaSetsAndSyncRevision(JsonObject d, List<JsonObject> sets, bool create)
    {
        var template = d.At("spec", "template");
        var newRs = ByCreation(sets).FirstOrDefault(r => EqualIgnoreHash(r.At("spec", "template"), template));
        var oldSets = sets.Where(r => !ReferenceEquals(r, newRs)).ToList();
        var newRevision = (oldSets.Count == 0 ? 0 : oldSets.Max(Revision)) + 1;
        var status = d.ObjectAt("status");
        if (newRs is not null)
        {
            var copy = newRs.DeepClone().AsObject();
            var annotationsUpdated = SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
            var minReady = d.LongAt("spec", "minReadySeconds") ?? 0;
            if (annotationsUpdated || (copy.LongAt("spec", "minReadySeconds") ?? 0) != minReady)
            {
                if (minReady != 0)
                {
                    copy.ObjectAt("spec")["minReadySeconds"] = minReady;
                }
                else
                {
                    copy.ObjectAt("spec").Remove("minReadySeconds");
                }
                newRs = WriteReplicaSet(copy) ?? newRs;
                return (newRs, oldSets);
            }
            var needsUpdate = SetRevision(d, Annotation(newRs, RevisionAnnotation));
            if (HasProgressDeadline(d) && ConditionOf(status, Progressing) is null)
            {
                SetCondition(status, NewCondition(Progressing, "True", "FoundNewReplicaSet", $"Found new replica set \"{newRs.Name()}\"", Now));
                needsUpdate = true;
            }
            if (needsUpdate)
            {
                WriteDeployment(d);
            }
            return (newRs, oldSets);
        }
        if (!create)
        {
            return (null, oldSets);
        }
        var collisionCount = d.LongAt("status", "collisionCount");
        var hash = PodTemplateHash.Compute((JsonObject)template!, collisionCount);
        var rsTemplate = template!.DeepClone().AsObject();
        rsTemplate.ObjectAt("metadata").ObjectAt("labels")[PodTemplateHash.Label] = hash;
        var selector = d.At("spec", "selector")!.DeepClone().AsObject();
        selector.ObjectAt("matchLabels")[PodTemplateHash.Label] = hash;
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{d.Name()}-{hash}",
                ["namespace"] = d.Namespace(),
                ["labels"] = rsTemplate.At("metadata", "labels")!.DeepClone(),
                ["annotations"] = new JsonObject(),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = d.Name(),
                    ["uid"] = d.StringAt("metadata", "uid"),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 0,
                ["selector"] = selector,
                ["template"] = rsTemplate,
            },
        };
        if (d.LongAt("spec", "minReadySeconds") is { } minReadySeconds and not 0)
        {
            rs.ObjectAt("spec")["minReadySeconds"] = minReadySeconds;
        }
        rs.ObjectAt("spec")["replicas"] = NewReplicaSetReplicas(d, [.. oldSets, rs], rs);
        SetNewReplicaSetAnnotations(d, rs, newRevision, exists: false);
        JsonObject created;
        try
        {
            created = context.Store.Create(AppsKinds.ReplicaSets, rs);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // A ReplicaSet of that name with another template: hash again with a higher collision count.
            var existing = context.Store.Get(AppsKinds.ReplicaSets, d.Namespace(), rs.Name());
            if (existing is not null && !EqualIgnoreHash(existing.At("spec", "template"), template))
            {
                status["collisionCount"] = (collisionCount ?? 0) + 1;
                WriteDeployment(d);
            }
            return (null, oldSets);
        }
        if (Replicas(created) > 0)
        {
            context.Normal(d, "ScalingReplicaSet", $"Scaled up replica set {created.Name()} from 0 to {Replicas(created)}", "deployment-controller");
        }
        if (HasProgressDeadline(d))
        {
            SetCondition(status, NewCondition(Progressing, "True", "NewReplicaSetCreated", $"Created new replica set \"{created.Name()}\"", Now));
        }
        SetRevision(d, newRevision.ToString(CultureInfo.InvariantCulture));
        WriteDeployment(d);
        return (created, oldSets);
    }

    private static bool SetRevision(JsonObject d, string? revision)
    {
        if (string.IsNullOrEmpty(revision) || Annotation(d, RevisionAnnotation) == revision)
        {
            return false;
        }
        SetAnnotation(d, RevisionAnnotation, revision);
        return true;
    }

    /// <summary>NewRSNewReplicas: how far the new set may grow within maxSurge.</summary>
    private static long NewReplicaSetReplicas(JsonObject d, List<JsonObject> all, JsonObject newRs)
    {
        if (!IsRollingUpdate(d))
        {
            return Replicas(d);
        }
        var current = SpecTotal(all);
        var maxTotal = Replicas(d) + MaxSurge(d);
        if (current >= maxTotal)
        {
            return Replicas(newRs);
        }
        return Replicas(newRs) + Math.Min(maxTotal - current, Replicas(d) - Replicas(newRs));
    }

    /// <summary>Grows (within maxSurge) or shrinks the new set; returns it when it was scaled.</summary>
    private JsonObject? ReconcileNewReplicaSet(JsonObject d, List<JsonObject> all, JsonObject newRs)
    {
        if (Replicas(newRs) == Replicas(d))
        {
            return null;
        }
        var target = Replicas(newRs) > Replicas(d) ? Replicas(d) : NewReplicaSetReplicas(d, all, newRs);
        return ScaleReplicaSet(d, newRs, target);
    }

    private bool ReconcileOldReplicaSets(JsonObject d, JsonObject newRs, List<JsonObject> oldSets)
    {
        var active = Active(oldSets);
        if (SpecTotal(active) == 0)
        {
            return false;
        }
        var all = CurrentAll([.. oldSets, newRs]);
        var allPods = SpecTotal(all);
        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var newUnavailable = Replicas(newRs) - Available(newRs);
        var maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }
        var cleaned = 0L;
        foreach (var rs in ByCreation(CurrentAll(active)))
        {
            if (cleaned >= maxScaledDown)
            {
                break;
            }
            if (Replicas(rs) == 0 || Replicas(rs) == Available(rs))
            {
                continue;
            }
            var down = Math.Min(maxScaledDown - cleaned, Replicas(rs) - Available(rs));
            ScaleReplicaSet(d, rs, Replicas(rs) - down);
            cleaned += down;
        }
        var availablePods = CurrentAll([.. oldSets, newRs]).Sum(Available);
        var scaledDown = 0L;
        if (availablePods > minAvailable)
        {
            var total = availablePods - minAvailable;
            foreach (var rs in ByCreation(CurrentAll(active)))
            {
                if (scaledDown >= total)
                {
                    break;
                }
                if (Replicas(rs) == 0)
                {
                    continue;
                }
                var down = Math.Min(Replicas(rs), total - scaledDown);
                ScaleReplicaSet(d, rs, Replicas(rs) - down);
                scaledDown += down;
            }
        }
        return cleaned + scaledDown > 0;
    }

    private bool IsScalingEvent(JsonObject d, List<JsonObject> sets)
    {
        var (newRs, oldSets) = AllReplicaSetsAndSyncRevision(d, sets, create: false);
        return Active(CurrentAll([.. oldSets, newRs])).Any(r => DesiredReplicasAnnotationOf(r) is { } desired && desired != Replicas(d));
    }

    /// <summary>sync.go scale: one active set takes everything; otherwise proportional scaling across the active sets.</summary>
    private void Scale(JsonObject d, JsonObject? newRs, List<JsonObject> oldSets)
    {
        newRs = Current(newRs);
        oldSets = CurrentAll(oldSets);
        if (ActiveOrLatest(newRs, oldSets) is { } only)
        {
            ScaleReplicaSet(d, only, Replicas(d));
            return;
        }
        if (newRs is not null && Replicas(newRs) == Replicas(d) && DesiredReplicasAnnotationOf(newRs) == Replicas(d) && Available(newRs) == Replicas(d))
        {
            foreach (var old in Active(oldSets))
            {
                ScaleReplicaSet(d, old, 0);
            }
            return;
        }
        if (!IsRollingUpdate(d))
        {
            return;
        }
        var all = Active([.. oldSets, newRs]);
        var allowed = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        var toAdd = allowed - SpecTotal(all);
        all = toAdd > 0
            ? [.. all.OrderByDescending(Replicas).ThenByDescending(r => r.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal)]
            : [.. all.OrderByDescending(Replicas).ThenBy(r => r.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal)];
        var added = 0L;
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var rs in all)
        {
            var proportion = toAdd == 0 ? 0 : Proportion(d, rs, toAdd, added);
            sizes[rs.Name()] = Replicas(rs) + proportion;
            added += proportion;
        }
        for (var i = 0; i < all.Count; i++)
        {
            if (i == 0 && toAdd != 0)
            {
                sizes[all[i].Name()] = Math.Max(0, sizes[all[i].Name()] + toAdd - added);
            }
            ScaleReplicaSet(d, all[i], sizes[all[i].Name()]);
        }
    }

    private static JsonObject? ActiveOrLatest(JsonObject? newRs, List<JsonObject> oldSets)
    {
        if (newRs is null && oldSets.Count == 0)
        {
            return null;
        }
        var newestFirst = ByCreation(oldSets);
        newestFirst.Reverse();
        var active = Active([.. newestFirst, newRs]);
        return active.Count switch
        {
            0 => newRs ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    private static long Proportion(JsonObject d, JsonObject rs, long toAdd, long added)
    {
        if (Replicas(rs) == 0 || toAdd == added)
        {
            return 0;
        }
        long fraction;
        if (Replicas(d) == 0)
        {
            fraction = -Replicas(rs);
        }
        else
        {
            var deploymentReplicas = Replicas(d) + MaxSurge(d);
            var annotated = MaxReplicasAnnotationOf(rs) ?? (d.LongAt("status", "replicas") ?? 0);
            fraction = annotated == 0 ? 0 : (long)Math.Round(Replicas(rs) * deploymentReplicas / (double)annotated, MidpointRounding.AwayFromZero) - Replicas(rs);
        }
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    /// <summary>scaleReplicaSet: the size and the desired/max annotations; returns the stored set when it changed.</summary>
    private JsonObject? ScaleReplicaSet(JsonObject d, JsonObject rs, long replicas)
    {
        var copy = rs.DeepClone().AsObject();
        var sizeChanged = Replicas(copy) != replicas;
        var annotationsChanged = SetReplicasAnnotations(copy, Replicas(d), Replicas(d) + MaxSurge(d));
        if (!sizeChanged && !annotationsChanged)
        {
            return null;
        }
        var from = Replicas(copy);
        copy.ObjectAt("spec")["replicas"] = replicas;
        var written = WriteReplicaSet(copy);
        if (written is not null && sizeChanged)
        {
            context.Normal(d, "ScalingReplicaSet", $"Scaled {(replicas > from ? "up" : "down")} replica set {rs.Name()} from {from} to {replicas}", "deployment-controller");
        }
        return written;
    }

    /// <summary>cleanupDeployment: the oldest revisions beyond revisionHistoryLimit go, if scaled to zero.</summary>
    private void Cleanup(JsonObject d, List<JsonObject> oldSets)
    {
        if (d.LongAt("spec", "revisionHistoryLimit") is not { } limit)
        {
            return;
        }
        var cleanable = ByRevision(CurrentAll(oldSets));
        for (var i = 0; i < cleanable.Count - limit; i++)
        {
            var rs = cleanable[i];
            if (StatusReplicas(rs) != 0 || Replicas(rs) != 0 || (rs.LongAt("metadata", "generation") ?? 1) > (rs.LongAt("status", "observedGeneration") ?? 0))
            {
                continue;
            }
            try
            {
                context.Store.Delete(AppsKinds.ReplicaSets, rs.Namespace(), rs.Name(), rs.StringAt("metadata", "uid"));
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Gone already.
            }
        }
    }

    private JsonObject CalculateStatus(List<JsonObject> all, JsonObject? newRs, JsonObject d)
    {
        var available = all.Sum(Available);
        var status = new JsonObject { ["observedGeneration"] = d.LongAt("metadata", "generation") ?? 1 };
        ReplicaSetSync.NonZero(status, "replicas", all.Sum(StatusReplicas));
        ReplicaSetSync.NonZero(status, "updatedReplicas", newRs is null ? 0 : StatusReplicas(newRs));
        ReplicaSetSync.NonZero(status, "readyReplicas", all.Sum(Ready));
        ReplicaSetSync.NonZero(status, "availableReplicas", available);
        ReplicaSetSync.NonZero(status, "unavailableReplicas", Math.Max(0, SpecTotal(all) - available));
        if (d.At("status", "conditions") is JsonArray conditions)
        {
            status["conditions"] = conditions.DeepClone();
        }
        if (d.LongAt("status", "collisionCount") is { } collisions)
        {
            status["collisionCount"] = collisions;
        }
        SetCondition(status, available >= Replicas(d) - MaxUnavailable(d)
            ? NewCondition(AvailableType, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", Now)
            : NewCondition(AvailableType, "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", Now));
        return status;
    }

    /// <summary>progress.go syncRolloutStatus: Progressing moves on progress, completes, or times out.</summary>
    private void SyncRolloutStatus(JsonObject d, List<JsonObject> all, JsonObject? newRs)
    {
        var status = CalculateStatus(all, newRs, d);
        if (!HasProgressDeadline(d))
        {
            RemoveCondition(status, Progressing);
        }
        var current = ConditionOf(d["status"] as JsonObject, Progressing);
        var complete = (status.LongAt("replicas") ?? 0) == (status.LongAt("updatedReplicas") ?? 0) && current?.StringAt("reason") == "NewReplicaSetAvailable";
        if (HasProgressDeadline(d) && !complete)
        {
            var subject = newRs is null ? $"Deployment \"{d.Name()}\"" : $"ReplicaSet \"{newRs.Name()}\"";
            if (DeploymentComplete(d, status))
            {
                SetCondition(status, NewCondition(Progressing, "True", "NewReplicaSetAvailable", $"{subject} has successfully progressed.", Now));
            }
            else if (DeploymentProgressing(d, status))
            {
                var condition = NewCondition(Progressing, "True", "ReplicaSetUpdated", $"{subject} is progressing.", Now);
                if (current is not null)
                {
                    if (current.StringAt("status") == "True")
                    {
                        condition["lastTransitionTime"] = current.StringAt("lastTransitionTime");
                    }
                    RemoveCondition(status, Progressing);
                }
                SetCondition(status, condition);
            }
            else if (TimedOut(d, status))
            {
                SetCondition(status, NewCondition(Progressing, "False", "ProgressDeadlineExceeded", $"{subject} has timed out progressing.", Now));
            }
        }
        CopyReplicaFailure(status, all, newRs);
        WriteStatus(d, status);
    }

    /// <summary>progress.go getReplicaFailures: the new set's ReplicaFailure (else an old one's) becomes the Deployment's.</summary>
    private static void CopyReplicaFailure(JsonObject status, List<JsonObject> all, JsonObject? newRs)
    {
        var failure = (newRs is null ? all : all.Prepend(newRs))
            .Select(rs => ConditionOf(rs["status"] as JsonObject, ReplicaSetSync.ReplicaFailure))
            .FirstOrDefault(c => c is not null);
        if (failure is null)
        {
            RemoveCondition(status, ReplicaSetSync.ReplicaFailure);
            return;
        }
        var condition = NewCondition(ReplicaSetSync.ReplicaFailure, failure.StringAt("status")!, failure.StringAt("reason")!, failure.StringAt("message")!, default);
        condition["lastUpdateTime"] = failure.StringAt("lastTransitionTime");
        condition["lastTransitionTime"] = failure.StringAt("lastTransitionTime");
        SetCondition(status, condition);
    }

    private static bool DeploymentComplete(JsonObject d, JsonObject? status) =>
        status is not null
        && (status.LongAt("updatedReplicas") ?? 0) == Replicas(d)
        && (status.LongAt("replicas") ?? 0) == Replicas(d)
        && (status.LongAt("availableReplicas") ?? 0) == Replicas(d)
        && (status.LongAt("observedGeneration") ?? 0) >= (d.LongAt("metadata", "generation") ?? 1);

    private static bool DeploymentProgressing(JsonObject d, JsonObject status)
    {
        var old = d["status"] as JsonObject;
        long Of(JsonObject? s, string field) => s?.LongAt(field) ?? 0;
        return Of(status, "updatedReplicas") > Of(old, "updatedReplicas")
            || Of(status, "replicas") - Of(status, "updatedReplicas") < Of(old, "replicas") - Of(old, "updatedReplicas")
            || Of(status, "readyReplicas") > Of(old, "readyReplicas")
            || Of(status, "availableReplicas") > Of(old, "availableReplicas");
    }

    private bool TimedOut(JsonObject d, JsonObject status)
    {
        if (ConditionOf(status, Progressing) is not { } cond || cond.StringAt("reason") == "NewReplicaSetAvailable")
        {
            return false;
        }
        if (cond.StringAt("reason") == "ProgressDeadlineExceeded")
        {
            return true;
        }
        return Timestamps.Parse(cond.StringAt("lastUpdateTime")) is { } from && from.AddSeconds(d.LongAt("spec", "progressDeadlineSeconds")!.Value) < Now;
    }

    private void WriteStatus(JsonObject d, JsonObject status)
    {
        d["status"] = status;
        WriteDeployment(d);
    }

    /// <summary>Writes what the controller owns (revision annotation, status) onto the stored object, if it changed.</summary>
    private void WriteDeployment(JsonObject d)
    {
        try
        {
            context.Store.Mutate(AppsKinds.Deployments, d.Namespace(), d.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != d.StringAt("metadata", "uid"))
                {
                    return false;
                }
                var changed = false;
                if (Annotation(d, RevisionAnnotation) is { } revision && Annotation(current, RevisionAnnotation) != revision)
                {
                    SetAnnotation(current, RevisionAnnotation, revision);
                    changed = true;
                }
                if (PodTemplateHash.Canonical(current["status"]) != PodTemplateHash.Canonical(d["status"]))
                {
                    current["status"] = d["status"]?.DeepClone();
                    changed = true;
                }
                return changed;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted meanwhile.
        }
    }

    private JsonObject? WriteReplicaSet(JsonObject rs)
    {
        try
        {
            return context.Store.Mutate(AppsKinds.ReplicaSets, rs.Namespace(), rs.Name(), current =>
            {
                if (current.StringAt("metadata", "uid") != rs.StringAt("metadata", "uid"))
                {
                    return false;
                }
                current.Metadata()["annotations"] = rs.At("metadata", "annotations")?.DeepClone();
                current["spec"] = rs["spec"]?.DeepClone();
                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>The stored state of sets this sync may have changed.</summary>
    private JsonObject? Current(JsonObject? rs) =>
        rs is null ? null : context.Store.Get(AppsKinds.ReplicaSets, rs.Namespace(), rs.Name()) is { } fresh
            && fresh.StringAt("metadata", "uid") == rs.StringAt("metadata", "uid") ? fresh : null;

    private List<JsonObject> CurrentAll(IEnumerable<JsonObject?> sets) => [.. sets.Select(Current).OfType<JsonObject>()];
}
