using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Deletion;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// DELETE semantics shared by the verb handler, evictions and the garbage collector: objects with
/// finalizers or a grace period only get deletionTimestamp (the caller receives the object), others
/// go at once (the caller receives Status Success); Foreground and Orphan add the garbage collector's
/// finalizer, and a namespace turns Terminating. Dependents and namespace content are the
/// <see cref="Deletion.GarbageCollector"/>'s.
/// </summary>
public sealed class ObjectDeleter(ObjectStore store, AdmissionChain admission, TimeProvider time)
{
    public async Task<ApiResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions options, EmulatorUser user, CancellationToken cancellationToken)
    {
        var current = store.Find(kind, ns, name) ?? throw Status.NotFound(kind, name);
        if (options.PreconditionUid is { } uid && uid != current.Uid)
        {
            throw Status.UidConflict(kind, name, uid, current.Uid);
        }
        if (options.PreconditionResourceVersion is { } rv && rv != current.ResourceVersion.ToString())
        {
            throw Status.Conflict(kind, name);
        }
        var obj = current.ToJson();
        await admission.AdmitAsync(new AdmissionRequest(AdmissionOperation.Delete, kind, null, ns, name, null, obj, user, store), cancellationToken);

        var meta = obj.Metadata();
        var grace = Math.Max(0, options.GracePeriodSeconds ?? kind.DefaultGracePeriodSeconds(obj));
        if (meta["deletionTimestamp"] is not null)
        {
            return new ApiResult(200, ShortenGrace(kind, obj, grace));
        }
        if (kind == CoreKinds.Namespaces)
        {
            return new ApiResult(200, store.Update(kind, NamespaceTermination.Begin(obj, time.GetUtcNow())));
        }
        // Foreground and Orphan leave the work to the garbage collector through a finalizer, as the real registry does.
        if (options.PropagationPolicy is "Foreground" or "Orphan")
        {
            var finalizer = options.PropagationPolicy == "Foreground" ? GarbageCollectorFinalizers.Foreground : GarbageCollectorFinalizers.Orphan;
            var finalizers = meta["finalizers"] as JsonArray ?? [];
            if (!finalizers.Any(f => f?.GetValue<string>() == finalizer))
            {
                finalizers.Add(finalizer);
            }
            meta["finalizers"] = finalizers;
        }
        var hasFinalizers = meta["finalizers"] is JsonArray { Count: > 0 };
        if (grace > 0 || hasFinalizers)
        {
            meta["deletionTimestamp"] = Timestamps.Format(time.GetUtcNow().AddSeconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
            return new ApiResult(200, store.Update(kind, obj));
        }
        // Dependents are the garbage collector's (background propagation): it sees this deletion.
        store.Delete(kind, ns, name, current.Uid);
        return new ApiResult(200, Status.Success(kind, name, current.Uid));
    }

    /// <summary>A second DELETE may only bring the end closer, as in the real graceful-deletion strategy.</summary>
    private JsonObject ShortenGrace(ResourceKind kind, JsonObject obj, long grace)
    {
        var meta = obj.Metadata();
        if (grace >= (meta.LongAt("deletionGracePeriodSeconds") ?? 0))
        {
            return obj;
        }
        meta["deletionTimestamp"] = Timestamps.Format(time.GetUtcNow().AddSeconds(grace));
        meta["deletionGracePeriodSeconds"] = grace;
        return store.Update(kind, obj);
    }
}
