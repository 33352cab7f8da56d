using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Storage;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>What New-StorageClass asks for.</summary>
internal sealed record StorageClassRequest(
    string Name,
    string Provisioner,
    IReadOnlyDictionary<string, string> Parameters,
    string ReclaimPolicy,
    string VolumeBindingMode,
    bool AllowVolumeExpansion,
    bool MakeDefault,
    IReadOnlyList<string> MountOptions);

/// <summary>Storage classes: read, create, change what Kubernetes lets change, remove; one default at a time.</summary>
internal sealed class StorageClassService(ClusterConnection connection, IOperationLog log)
{
    public async Task<StorageClass> GetAsync(string name, CancellationToken cancellationToken) =>
        StorageMapper.ToStorageClass(await ReadAsync(name, cancellationToken).ConfigureAwait(false));

    /// <summary>Every class, page by page, each written as its page comes.</summary>
    public async IAsyncEnumerable<StorageClass> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var sc in PagesAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            yield return StorageMapper.ToStorageClass(sc);
        }
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken) =>
        [.. (await ListRawAsync(connection, cancellationToken).ConfigureAwait(false)).Select(c => c.Metadata.Name)];

    public async Task<StorageClass> CreateAsync(StorageClassRequest request, CancellationToken cancellationToken)
    {
        var body = new V1StorageClass
        {
            Metadata = new V1ObjectMeta
            {
                Name = request.Name,
                Annotations = request.MakeDefault ? new Dictionary<string, string> { [StorageMapper.DefaultClassAnnotation] = "true" } : null,
            },
            Provisioner = request.Provisioner,
            Parameters = request.Parameters.Count == 0 ? null : request.Parameters.ToDictionary(),
            ReclaimPolicy = request.ReclaimPolicy,
            VolumeBindingMode = request.VolumeBindingMode,
            AllowVolumeExpansion = request.AllowVolumeExpansion,
            MountOptions = request.MountOptions.Count == 0 ? null : [.. request.MountOptions],
        };
        var created = await KubeApi.Call(
            ct => connection.Client.StorageV1.CreateStorageClassAsync(body, cancellationToken: ct),
            new ResourceRef("StorageClass", request.Name),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);
        if (request.MakeDefault)
        {
            await ClearOtherDefaultsAsync(request.Name, cancellationToken).ConfigureAwait(false);
        }
        return StorageMapper.ToStorageClass(created);
    }

    /// <summary>
    /// Changes the default flag and volume expansion, the only settings Kubernetes lets change.
    /// Making a class the default first marks it, then clears the others, so there is never no default.
    /// </summary>
    public async Task<StorageClass> SetAsync(string name, bool? makeDefault, bool? allowExpansion, CancellationToken cancellationToken)
    {
        var patch = new Dictionary<string, object?>();
        if (makeDefault is { } isDefault)
        {
            patch["metadata"] = new Dictionary<string, object?>
            {
                ["annotations"] = new Dictionary<string, object?> { [StorageMapper.DefaultClassAnnotation] = isDefault ? "true" : null },
            };
        }
        if (allowExpansion is { } allow)
        {
            patch["allowVolumeExpansion"] = allow;
        }
        var changed = await PatchAsync(name, patch, cancellationToken).ConfigureAwait(false);
        if (makeDefault == true)
        {
            await ClearOtherDefaultsAsync(name, cancellationToken).ConfigureAwait(false);
        }
        return StorageMapper.ToStorageClass(changed);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await KubeApi.Call(
            ct => connection.Client.StorageV1.DeleteStorageClassAsync(name, cancellationToken: ct),
            new ResourceRef("StorageClass", name),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);

    internal async Task<V1StorageClass> ReadAsync(string name, CancellationToken cancellationToken) =>
        await ReadRawAsync(connection, name, cancellationToken).ConfigureAwait(false);

    internal static Task<V1StorageClass> ReadRawAsync(ClusterConnection connection, string name, CancellationToken cancellationToken) =>
        KubeApi.Call(ct => connection.Client.StorageV1.ReadStorageClassAsync(name, cancellationToken: ct), new ResourceRef("StorageClass", name), cancellationToken);

    internal static async Task<IReadOnlyList<V1StorageClass>> ListRawAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        var classes = new List<V1StorageClass>();
        await foreach (var sc in PagesAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            classes.Add(sc);
        }
        return classes;
    }

    private static IAsyncEnumerable<V1StorageClass> PagesAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        Paging.ListAll<V1StorageClassList, V1StorageClass>(
            (token, limit, ct) => connection.Client.StorageV1.ListStorageClassAsync(continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("StorageClass", null),
            cancellationToken);

    private async Task<V1StorageClass> PatchAsync(string name, Dictionary<string, object?> patch, CancellationToken cancellationToken) =>
        await Conflicts.RetryAsync(
            ct => KubeApi.Call(
                c => connection.Client.StorageV1.PatchStorageClassAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), name, cancellationToken: c),
                new ResourceRef("StorageClass", name),
                ct),
            new ResourceRef("StorageClass", name),
            cancellationToken).ConfigureAwait(false);

    private async Task ClearOtherDefaultsAsync(string keep, CancellationToken cancellationToken)
    {
        foreach (var other in (await ListRawAsync(connection, cancellationToken).ConfigureAwait(false)).Where(c => c.Metadata.Name != keep && StorageMapper.IsDefault(c)))
        {
            log.Verbose($"StorageClass '{other.Metadata.Name}' was the default; clearing its default annotation.");
            var clear = new Dictionary<string, object?>
            {
                ["metadata"] = new Dictionary<string, object?>
                {
                    ["annotations"] = new Dictionary<string, object?>
                    {
                        [StorageMapper.DefaultClassAnnotation] = null,
                        ["storageclass.beta.kubernetes.io/is-default-class"] = null,
                    },
                },
            };
            await PatchAsync(other.Metadata.Name, clear, cancellationToken).ConfigureAwait(false);
        }
    }
}
