using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// DELETE semantics shared by the verb handler, evictions and cascades: objects with finalizers or
/// a grace period only get deletionTimestamp (the caller receives the object), others go at once
/// (the caller receives Status Success) and take their dependents with them unless orphaned.
/// </summary>
public sealed class ObjectDeleter(ObjectStore store, ResourceRegistry registry, AdmissionChain admission, TimeProvider time)
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
        var hasFinalizers = meta["finalizers"] is JsonArray { Count: > 0 };
        if (grace > 0 || hasFinalizers)
        {
            meta["deletionTimestamp"] = Timestamps.Format(time.GetUtcNow().AddSeconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
            return new ApiResult(200, store.Update(kind, obj));
        }
        store.Delete(kind, ns, name, current.Uid);
        if (options.PropagationPolicy != "Orphan")
        {
            await DeleteDependentsAsync(kind, current, user, cancellationToken);
        }
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

    /// <summary>The garbage collector's background propagation, done synchronously: owned objects, and a namespace's contents.</summary>
    private async Task DeleteDependentsAsync(ResourceKind ownerKind, StoredObject owner, EmulatorUser user, CancellationToken cancellationToken)
    {
        foreach (var kind in registry.Kinds)
        {
            var inNamespace = ownerKind == CoreKinds.Namespaces && kind.Namespaced;
            foreach (var dependent in store.List(kind, inNamespace ? owner.Name : null).Items)
            {
                if (inNamespace || dependent.OwnerUids.Contains(owner.Uid))
                {
                    await DeleteIfPresentAsync(kind, dependent, user, cancellationToken);
                }
            }
        }
    }

    private async Task DeleteIfPresentAsync(ResourceKind kind, StoredObject dependent, EmulatorUser user, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteAsync(kind, dependent.Namespace, dependent.Name, DeleteOptions.Default with { PreconditionUid = dependent.Uid }, user, cancellationToken);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone or replaced meanwhile: nothing of the owner's is left to collect.
        }
    }
}
