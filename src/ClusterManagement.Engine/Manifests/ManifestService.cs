using System.Text.Json.Nodes;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Manifests;

namespace ClusterManagement.Engine.Manifests;

/// <summary>
/// Server-side apply of manifest objects, field manager "clustermanagement", one object at a time in
/// dependency order. Fields another manager changed since (kubectl edit, scale, set image) stop the
/// apply with a conflict unless the caller forces, as kubectl apply --server-side does without
/// --force-conflicts.
/// </summary>
internal sealed class ManifestService(ClusterConnection connection, IOperationLog log)
{
    public const string FieldManager = "clustermanagement";

    /// <summary>How the API server begins the message of an apply conflict (409, causes of reason FieldManagerConflict).</summary>
    private const string ApplyConflictPrefix = "Apply failed with ";

    /// <summary>What applying one object would do, before it is done.</summary>
    public sealed record PlannedApply(ManifestDocument Document, RawApi.ApiResource Resource, string? Namespace, bool Exists)
    {
        /// <summary>The object as confirmation prompts and -WhatIf name it.</summary>
        public string Target => Namespace is null ? $"{Document.Kind} '{Document.Name}'" : $"{Document.Kind} '{Namespace}/{Document.Name}'";
    }

    /// <summary>
    /// Applies each document; <paramref name="confirm"/> sees the plan of each and may skip it
    /// (-WhatIf, -Confirm). Yields each object as it is applied.
    /// </summary>
    /// <param name="forceConflicts">Take over fields other managers own (-ForceConflicts) instead of failing with <see cref="ClusterErrors.ManifestFieldConflict"/>.</param>
    public async IAsyncEnumerable<AppliedObject> ApplyAsync(
        IReadOnlyList<ManifestDocument> documents,
        string? defaultNamespace,
        bool forceConflicts,
        Func<PlannedApply, Task<bool>> confirm,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            log.Progress(new OperationProgress(3, "Applying manifests", $"{document.Kind} {document.Name}", 100 * i / documents.Count));
            var resource = await RawApi.ResolveAsync(connection, document.ApiVersion, document.Kind, cancellationToken).ConfigureAwait(false);
            var ns = resource.Namespaced ? document.Namespace ?? defaultNamespace ?? connection.ContextNamespace : null;
            var reference = new ResourceRef(document.Kind, document.Name, ns);
            var itemPath = $"{resource.CollectionPath(ns)}/{Uri.EscapeDataString(document.Name)}";
            var before = await ReadAsync(itemPath, reference, cancellationToken).ConfigureAwait(false);
            if (!await confirm(new PlannedApply(document, resource, ns, before is not null)).ConfigureAwait(false))
            {
                continue;
            }
            var body = document.Object.DeepClone().AsObject();
            if (ns is not null && body["metadata"] is JsonObject meta)
            {
                meta["namespace"] = ns;
            }
            var after = await ApplyAsync($"{itemPath}?fieldManager={FieldManager}{(forceConflicts ? "&force=true" : "")}", body, reference, cancellationToken).ConfigureAwait(false);
            var action = before is null ? ManifestAction.Created
                : ResourceVersion(before) == ResourceVersion(after) ? ManifestAction.Unchanged
                : ManifestAction.Configured;
            log.Verbose($"{reference}: {action.ToString().ToLowerInvariant()}");
            yield return new AppliedObject
            {
                Kind = document.Kind,
                Name = document.Name,
                Namespace = ns,
                ApiVersion = document.ApiVersion,
                Action = action,
                Source = document.Source,
            };
        }
        log.Progress(new OperationProgress(3, "Applying manifests", "Done", Completed: true));
    }

    private async Task<JsonNode?> ApplyAsync(string path, JsonObject body, ResourceRef reference, CancellationToken cancellationToken)
    {
        try
        {
            return await KubeApi.Call(
                ct => RawApi.SendAsync(connection, HttpMethod.Patch, path, "application/apply-patch+yaml", body.ToJsonString(), reference, ct),
                reference,
                cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.StatusCode == 409 && e.ServerMessage?.StartsWith(ApplyConflictPrefix, StringComparison.Ordinal) == true)
        {
            throw new ClusterException(
                ClusterErrors.ManifestFieldConflict,
                $"{reference} was not applied: other field managers changed fields the manifest sets. {e.ServerMessage}\n" +
                "Put the live values into the manifest, or use -ForceConflicts to take those fields over and overwrite their changes.",
                reference.Name ?? reference.Kind,
                e)
            {
                StatusCode = e.StatusCode,
                ServerMessage = e.ServerMessage,
            };
        }
    }

    private async Task<JsonNode?> ReadAsync(string path, ResourceRef reference, CancellationToken cancellationToken)
    {
        try
        {
            return await KubeApi.Call(ct => RawApi.SendAsync(connection, HttpMethod.Get, path, null, null, reference, ct), reference, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            return null;
        }
    }

    private static string? ResourceVersion(JsonNode? obj) => obj?["metadata"]?["resourceVersion"]?.GetValue<string>();
}
