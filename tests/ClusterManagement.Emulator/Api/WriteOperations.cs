using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.FieldManagement;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.OpenApi;
using ClusterManagement.Emulator.Patching;
using ClusterManagement.Emulator.Selectors;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>create, update (PUT), patch and deletecollection, including the status-subresource split.</summary>
public static class WriteOperations
{
    private const int PatchAttempts = 5;
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Fields only the server sets; a client's values are ignored on create (managedFields it may set, as on a real server).</summary>
    private static readonly string[] SystemMetadata =
        ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"];

    public static Task<ApiResult> CreateAsync(ApiRequest request, CancellationToken ct) => CreateAsync(request, FieldValidation.ReadObject(request), ct);

    private static async Task<ApiResult> CreateAsync(ApiRequest request, JsonObject obj, CancellationToken ct)
    {
        var meta = obj.Metadata();
        var ns = ScopeNamespace(request, obj);
        if (ns is not null)
        {
            meta["namespace"] = ns;
            if (request.Services.Store.Find(CoreKinds.Namespaces, null, ns) is null)
            {
                throw Status.NamespaceNotFound(ns);
            }
        }
        if (obj.Name().Length == 0 && meta.StringAt("generateName") is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + new string(Random.Shared.GetItems(NameAlphabet.AsSpan(), 5));
        }
        ObjectValidation.ValidateMetadata(request.Kind, obj, creating: true);
        foreach (var field in SystemMetadata)
        {
            meta.Remove(field);
        }
        await request.Services.Admission.AdmitAsync(
            new AdmissionRequest(AdmissionOperation.Create, request.Kind, null, ns, obj.Name(), obj, null, request.User, request.Services.Store), ct);
        FieldOwnership.RecordUpdate(request, null, obj);
        return new ApiResult(201, request.Services.Store.Create(request.Kind, obj));
    }

    public static async Task<ApiResult> UpdateAsync(ApiRequest request, CancellationToken ct)
    {
        var obj = FieldValidation.ReadObject(request);
        var meta = obj.Metadata();
        if (obj.Name() is { Length: > 0 } bodyName && bodyName != request.Name)
        {
            throw Status.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({request.Name})");
        }
        meta["name"] = request.Name;
        if (ScopeNamespace(request, obj) is { } ns)
        {
            meta["namespace"] = ns;
        }
        var current = request.Services.Store.Find(request.Kind, request.Namespace, request.Name!) ?? throw Status.NotFound(request.Kind, request.Name!);
        return new ApiResult(200, await StoreAsync(request, current.ToJson(), obj, ct));
    }

    /// <summary>
    /// Applies the patch to the current object and stores it conditionally on the version it was
    /// applied to, retrying when a concurrent write got in between (the apiserver's GuaranteedUpdate).
    /// </summary>
    public static async Task<ApiResult> PatchAsync(ApiRequest request, CancellationToken ct)
    {
        if (request.MediaType == ApplyPatch.MediaType)
        {
            return await ApplyAsync(request, ct);
        }
        var store = request.Services.Store;
        var bodyProblems = FieldValidation.PatchBodyProblems(request);
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Find(request.Kind, request.Namespace, request.Name!) ?? throw Status.NotFound(request.Kind, request.Name!);
            var old = current.ToJson();
            // Patched without its resourceVersion, so one in the result can only be the client's precondition.
            var target = old.DeepClone().AsObject();
            target.Metadata().Remove("resourceVersion");
            var patched = PatchApplier.Apply(target, request.Body, request.MediaType, request.Kind);
            FieldValidation.CheckPatched(request, patched, bodyProblems);
            var requested = patched.StringAt("metadata", "resourceVersion");
            if (requested is not null && requested != current.ResourceVersion.ToString())
            {
                throw Status.Conflict(request.Kind, request.Name!);
            }
            var meta = patched.Metadata();
            meta["name"] = request.Name;
            meta["resourceVersion"] = current.ResourceVersion.ToString();
            if (request.Namespace is not null)
            {
                meta["namespace"] = request.Namespace;
            }
            try
            {
                return new ApiResult(200, await StoreAsync(request, old, patched, ct));
            }
            catch (ApiException e) when (e.Reason == "Conflict" && requested is null && attempt < PatchAttempts)
            {
                // Someone else wrote first; re-apply the patch to their version.
            }
        }
    }

    /// <summary>
    /// Server-side apply: creates the object when it does not exist (201), otherwise merges the
    /// applied configuration for the field manager (409 on another manager's fields unless
    /// ?force=true); an apply that changes nothing writes nothing, so the resourceVersion stays,
    /// as on a real server.
    /// </summary>
    private static async Task<ApiResult> ApplyAsync(ApiRequest request, CancellationToken ct)
    {
        var manager = FieldOwnership.ManagerOf(request);
        var force = request.Query("force") is "true" or "1" or "True";
        var applied = ApplyPatch.Parse(request.Body);
        var kind = request.Kind;
        if (applied.StringAt("apiVersion") != kind.GroupVersion || applied.StringAt("kind") != kind.Kind)
        {
            throw Status.BadRequest($"the apply configuration must be a {kind.Kind} of {kind.GroupVersion}");
        }
        if (applied.Name() is { Length: > 0 } bodyName && bodyName != request.Name)
        {
            throw Status.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({request.Name})");
        }
        FieldValidation.CheckApplied(request, applied);
        var store = request.Services.Store;
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Find(kind, request.Namespace, request.Name!);
            if (current is null)
            {
                var created = FieldOwnership.Apply(request, manager, null, applied, force, out _);
                created.Metadata()["name"] = request.Name;
                try
                {
                    return await CreateAsync(request, created, ct);
                }
                catch (ApiException e) when (e.Reason == "AlreadyExists" && attempt < PatchAttempts)
                {
                    continue;
                }
            }
            var old = current.ToJson();
            var result = FieldOwnership.Apply(request, manager, old, applied, force, out var changed);
            if (!changed)
            {
                return new ApiResult(200, old);
            }
            var meta = result.Metadata();
            meta["name"] = request.Name;
            meta["resourceVersion"] = current.ResourceVersion.ToString();
            try
            {
                return new ApiResult(200, await StoreAsync(request, old, result, ct));
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < PatchAttempts)
            {
                // Someone else wrote first; apply again to their version.
            }
        }
    }

    public static async Task<ApiResult> DeleteCollectionAsync(ApiRequest request, CancellationToken ct)
    {
        var labels = LabelSelector.Parse(request.Query("labelSelector"));
        var fields = FieldSelector.Parse(request.Query("fieldSelector"), request.Kind);
        var options = DeleteOptions.From(request);
        var deleted = new JsonArray();
        foreach (var stored in request.Services.Store.List(request.Kind, request.Namespace).Items)
        {
            var obj = stored.ToJson();
            if (labels.Matches(obj) && fields.Matches(obj))
            {
                await request.Services.Deleter.DeleteAsync(request.Kind, stored.Namespace, stored.Name, options with { PreconditionUid = stored.Uid }, request.User, ct);
                deleted.Add(obj);
            }
        }
        var list = new JsonObject
        {
            ["kind"] = request.Kind.Kind + "List",
            ["apiVersion"] = request.Kind.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = request.Services.Store.ResourceVersion.ToString() },
            ["items"] = deleted,
        };
        return new ApiResult(200, list);
    }

    /// <summary>
    /// The status subresource split: writes to the main resource keep the stored status, writes to
    /// /status change nothing but status. Deletion state is never the client's to change.
    /// </summary>
    private static async Task<JsonObject> StoreAsync(ApiRequest request, JsonObject old, JsonObject next, CancellationToken ct)
    {
        var kind = request.Kind;
        if (request.Subresource == "status")
        {
            var version = next.StringAt("metadata", "resourceVersion");
            var statusOnly = old.DeepClone().AsObject();
            statusOnly["status"] = next["status"]?.DeepClone();
            statusOnly.Metadata()["resourceVersion"] = version;
            next = statusOnly;
        }
        else if (kind.HasStatusSubresource)
        {
            next["status"] = old["status"]?.DeepClone();
        }
        ObjectValidation.ValidateMetadata(kind, next, creating: false);
        var meta = next.Metadata();
        meta["deletionTimestamp"] = old.At("metadata", "deletionTimestamp")?.DeepClone();
        meta["deletionGracePeriodSeconds"] = old.At("metadata", "deletionGracePeriodSeconds")?.DeepClone();
        RemoveNulls(meta, "deletionTimestamp", "deletionGracePeriodSeconds");
        await request.Services.Admission.AdmitAsync(
            new AdmissionRequest(AdmissionOperation.Update, kind, request.Subresource, request.Namespace, request.Name!, next, old, request.User, request.Services.Store), ct);
        FieldOwnership.RecordUpdate(request, old, next);
        return NoOpUpdate.IsNoOp(old, next) ? old : request.Services.Store.Update(kind, next);
    }

    private static void RemoveNulls(JsonObject obj, params string[] names)
    {
        foreach (var name in names.Where(n => obj[n] is null))
        {
            obj.Remove(name);
        }
    }

    /// <summary>The namespace from the URL; a different one in the body is the real server's 400.</summary>
    private static string? ScopeNamespace(ApiRequest request, JsonObject obj)
    {
        if (!request.Kind.Namespaced)
        {
            return null;
        }
        var ns = request.Namespace ?? throw Status.BadRequest("the namespace of the object must be given in the URL");
        if (obj.Namespace() is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw Status.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        return ns;
    }
}
