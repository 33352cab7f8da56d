using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Storage;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>What New-CsiVolumeClaim asks for; <see cref="Size"/> is already a valid quantity.</summary>
internal sealed record ClaimRequest(
    string Namespace,
    string Name,
    string Size,
    IReadOnlyList<string> AccessModes,
    string? StorageClass,
    string VolumeMode,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>How a wait ended: the claim as last seen, and why it is not (yet) where it was asked to be.</summary>
internal sealed record ClaimWaitResult(CsiVolumeClaim Claim, string? Explanation)
{
    /// <summary>Set when the wait ended early because waiting could not help.</summary>
    public Diagnosis? Diagnosis { get; init; }
}

/// <summary>A resize that passed every check: the claim as read, the canonical new size, and whether it is the size already asked for.</summary>
internal sealed record ClaimResizePlan(CsiVolumeClaim Claim, string Size, bool Unchanged);

/// <summary>What removing a claim would do: the pods that mount it, and the fate of its volume.</summary>
internal sealed record ClaimRemovalPlan(CsiVolumeClaim Claim, IReadOnlyList<string> MountedBy)
{
    public string VolumeFate => Claim.Volume is null
        ? "no volume is bound to it"
        : Claim.ReclaimPolicy == "Retain"
            ? $"volume {Claim.Volume} will be retained (reclaim policy Retain): it stays as a Released volume with its data"
            : $"volume {Claim.Volume} will be deleted with its data (reclaim policy {Claim.ReclaimPolicy ?? "Delete"})";
}

/// <summary>Claims: create and wait for binding, list, grow and follow the resize, remove with the volume's fate known.</summary>
internal sealed class VolumeClaimService(ClusterConnection connection, IOperationLog log)
{
    private const string Kind = "CsiVolumeClaim";

    public async Task<CsiVolumeClaim> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        await ToClaimAsync(await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// All claims of a namespace, or of every namespace when <paramref name="ns"/> is null, page by page:
    /// each claim is written as soon as its page and its volume are in, not after every volume is read.
    /// </summary>
    public async IAsyncEnumerable<CsiVolumeClaim> ListAsync(
        string? ns,
        string? labelSelector,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var volumes = new VolumeFactsLookup(connection, cancellationToken);
        var classes = (await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Metadata.Name);
        var pages = Paging.ListAll<V1PersistentVolumeClaimList, V1PersistentVolumeClaim>(
            (token, limit, ct) => ns is null
                ? connection.Client.CoreV1.ListPersistentVolumeClaimForAllNamespacesAsync(continueParameter: token, labelSelector: labelSelector, limit: limit, cancellationToken: ct)
                : connection.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, continueParameter: token, labelSelector: labelSelector, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef(Kind, null, ns),
            cancellationToken);
        await foreach (var pvc in pages.ConfigureAwait(false))
        {
            var volume = pvc.Spec?.VolumeName is { Length: > 0 } v ? await volumes.FindAsync(v, cancellationToken).ConfigureAwait(false) : null;
            var sc = pvc.Spec?.StorageClassName is { Length: > 0 } c ? classes.GetValueOrDefault(c) : null;
            yield return StorageMapper.ToClaim(pvc, volume, sc);
        }
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(string ns, CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, limit: Paging.PageSize, cancellationToken: ct),
            new ResourceRef(Kind, null, ns),
            cancellationToken).ConfigureAwait(false);
        return [.. list.Items.Select(c => c.Metadata.Name)];
    }

    /// <summary>Creates the claim after checking that its class exists, so a typo fails before anything is made.</summary>
    public async Task<CsiVolumeClaim> CreateAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        if (request.StorageClass is { } className)
        {
            await RequireClassAsync(className, cancellationToken).ConfigureAwait(false);
        }
        else if (!(await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false)).Any(StorageMapper.IsDefault))
        {
            log.Warning($"No storage class was named and the cluster has no default class: claim '{request.Name}' will wait for an administrator to create a matching volume.");
        }
        var body = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta
            {
                Name = request.Name,
                NamespaceProperty = request.Namespace,
                Labels = request.Labels.Count == 0 ? null : request.Labels.ToDictionary(),
            },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = [.. request.AccessModes],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(request.Size) } },
                StorageClassName = request.StorageClass,
                VolumeMode = request.VolumeMode,
            },
        };
        var created = await KubeApi.Call(
            ct => connection.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(body, request.Namespace, cancellationToken: ct),
            new ResourceRef(Kind, request.Name, request.Namespace),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);
        return await ToClaimAsync(created, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for Bound. Returns at once, with the diagnosis, when waiting cannot help by itself: no class
    /// named and no default, an unknown class, a provisioner without a registered driver, or
    /// WaitForFirstConsumer without a pod. A claim still Pending at the timeout fails with the diagnosis.
    /// </summary>
    public async Task<ClaimWaitResult> WaitBoundAsync(string ns, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var diagnoser = new ClaimDiagnoser(connection, log);
        var pvc = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (pvc.Status?.Phase != "Bound"
            && await diagnoser.PendingAsync(ns, name, cancellationToken).ConfigureAwait(false) is { Cause: not (DiagnosisCause.Unknown or DiagnosisCause.ProvisioningFailed) } settled)
        {
            return new ClaimWaitResult(await ToClaimAsync(pvc, cancellationToken).ConfigureAwait(false), settled.Summary) { Diagnosis = settled };
        }
        var resource = new ResourceRef(Kind, name, ns);
        log.Progress(new OperationProgress(1, $"Waiting for claim {ns}/{name}", "Pending: waiting for a volume"));
        var result = await WatchAsync(ns, name, c => c is null || c.Status?.Phase == "Bound", timeout, cancellationToken).ConfigureAwait(false);
        log.Progress(new OperationProgress(1, $"Waiting for claim {ns}/{name}", "Done", Completed: true));
        V1PersistentVolumeClaim last;
        try
        {
            last = Require(result, resource, timeout);
        }
        catch (ClusterException e) when (e.Error == ClusterErrors.CsiVolumeClaimWaitTimeout)
        {
            throw Diagnoses.Attach(e, await diagnoser.PendingAsync(ns, name, cancellationToken).ConfigureAwait(false));
        }
        return new ClaimWaitResult(await ToClaimAsync(last, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>
    /// Checks everything Kubernetes would refuse about growing a claim, so the refusal explains itself
    /// and comes before any confirmation; reads the claim and its class once, changes nothing.
    /// </summary>
    public async Task<ClaimResizePlan> PlanResizeAsync(string ns, string name, string size, CancellationToken cancellationToken)
    {
        var wanted = StorageQuantity.BytesOf(size)
            ?? throw new ClusterException(ClusterErrors.QuantityInvalid, $"'{size}' is not a Kubernetes quantity (such as 2Gi or 500M).", size);
        var pvc = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var claim = await ToClaimAsync(pvc, cancellationToken).ConfigureAwait(false);
        var requested = StorageQuantity.BytesOf(claim.RequestedSize) ?? 0;
        var plan = new ClaimResizePlan(claim, StorageQuantity.Canonical(size), Unchanged: wanted == requested);
        if (wanted < requested)
        {
            throw new ClusterException(ClusterErrors.ClaimShrinkNotSupported, $"Claim {ns}/{name} requests {claim.RequestedSize}; Kubernetes cannot shrink a volume, so {size} is refused. Copy the data to a new, smaller claim instead.", name);
        }
        if (plan.Unchanged)
        {
            log.Warning($"Claim {ns}/{name} already requests {claim.RequestedSize}; nothing to change.");
            return plan;
        }
        if (claim.Status != "Bound")
        {
            throw new ClusterException(ClusterErrors.ClaimNotBound, $"Claim {ns}/{name} is {claim.Status}; Kubernetes expands only bound claims.", name);
        }
        if (claim.StorageClass is null)
        {
            throw new ClusterException(ClusterErrors.ClaimWithoutClass, $"Claim {ns}/{name} has no storage class; only dynamically provisioned claims can be expanded.", name);
        }
        try
        {
            var sc = await StorageClassService.ReadRawAsync(connection, claim.StorageClass, cancellationToken).ConfigureAwait(false);
            if (sc.AllowVolumeExpansion != true)
            {
                throw new ClusterException(ClusterErrors.StorageClassExpansionNotAllowed,
                    $"StorageClass '{claim.StorageClass}' does not allow volume expansion, so claim {ns}/{name} cannot grow. An administrator can allow it with: Set-StorageClass -Name {claim.StorageClass} -AllowVolumeExpansion", name);
            }
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            throw new ClusterException(ClusterErrors.ClaimClassMissing, $"The class of claim {ns}/{name}, '{claim.StorageClass}', no longer exists; Kubernetes expands only claims whose class allows it.", name);
        }
        return plan;
    }

    /// <summary>Asks for the planned size; a plan that changes nothing sends nothing.</summary>
    public async Task<CsiVolumeClaim> ResizeAsync(ClaimResizePlan plan, CancellationToken cancellationToken)
    {
        if (plan.Unchanged)
        {
            return plan.Claim;
        }
        var (ns, name) = (plan.Claim.Namespace, plan.Claim.Name);
        var patch = new V1Patch(KubernetesJson.Serialize(new { spec = new { resources = new { requests = new Dictionary<string, string> { ["storage"] = plan.Size } } } }), V1Patch.PatchType.MergePatch);
        var changed = await Conflicts.RetryAsync(
            ct => KubeApi.Call(
                c => connection.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, cancellationToken: c),
                new ResourceRef(Kind, name, ns),
                ct),
            new ResourceRef(Kind, name, ns),
            cancellationToken).ConfigureAwait(false);
        return await ToClaimAsync(changed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows the expansion through its conditions until the claim's capacity reaches the request.
    /// A file system that grows only when a pod mounts the claim ends the wait with that explanation.
    /// </summary>
    public async Task<ClaimWaitResult> WaitResizedAsync(string ns, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var resource = new ResourceRef(Kind, name, ns);
        var activity = $"Expanding claim {ns}/{name}";
        string? lastStep = null;
        bool Reached(V1PersistentVolumeClaim? c, bool stopAtNodePending)
        {
            if (c is null)
            {
                return true;
            }
            var step = c.Status?.AllocatedResourceStatuses?.TryGetValue("storage", out var s) == true ? s : null;
            if (step != lastStep && step is not null)
            {
                lastStep = step;
                log.Progress(new OperationProgress(2, activity, step));
                log.Verbose($"Claim {ns}/{name}: {step}{ConditionText(c)}");
            }
            return IsExpanded(c) || (stopAtNodePending && step == "NodeResizePending");
        }
        async Task<V1PersistentVolumeClaim> WaitAsync(bool stopAtNodePending)
        {
            var result = await WatchAsync(ns, name, c => Reached(c, stopAtNodePending), timeout, cancellationToken).ConfigureAwait(false);
            try
            {
                return Require(result, resource, timeout);
            }
            catch (ClusterException e) when (e.Error == ClusterErrors.CsiVolumeClaimWaitTimeout)
            {
                throw Diagnoses.Attach(e, await new ClaimDiagnoser(connection, log).ResizeAsync(ns, name, cancellationToken).ConfigureAwait(false));
            }
        }

        var last = await WaitAsync(stopAtNodePending: true).ConfigureAwait(false);
        if (!IsExpanded(last))
        {
            var mounted = await MountingPodsAsync(ns, name, scheduledOnly: true, cancellationToken).ConfigureAwait(false);
            if (mounted.Count == 0)
            {
                log.Progress(new OperationProgress(2, activity, "Done", Completed: true));
                return new ClaimWaitResult(await ToClaimAsync(last, cancellationToken).ConfigureAwait(false),
                    $"The volume of claim {ns}/{name} has grown; its file system grows when a pod mounts the claim (FileSystemResizePending). Until then the claim reports its old capacity.");
            }
            last = await WaitAsync(stopAtNodePending: false).ConfigureAwait(false);
        }
        log.Progress(new OperationProgress(2, activity, "Done", Completed: true));
        return new ClaimWaitResult(await ToClaimAsync(last, cancellationToken).ConfigureAwait(false), null);
    }

    public async Task<ClaimRemovalPlan> PlanRemovalAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var claim = await GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return new ClaimRemovalPlan(claim, await MountingPodsAsync(ns, name, scheduledOnly: false, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken) =>
        await Conflicts.RetryAsync(
            ct => KubeApi.Call(
                c => connection.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: c),
                new ResourceRef(Kind, name, ns),
                ct,
                idempotent: false),
            new ResourceRef(Kind, name, ns),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Pods that reference the claim and have not finished (what pvc-protection waits for); with
    /// <paramref name="scheduledOnly"/> only those on a node, whose kubelet will finish a file system resize.
    /// </summary>
    public async Task<IReadOnlyList<string>> MountingPodsAsync(string ns, string claim, bool scheduledOnly, CancellationToken cancellationToken)
    {
        var pods = new List<string>();
        var pages = Paging.ListAll<V1PodList, V1Pod>(
            (token, limit, ct) => connection.Client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("Pod", null, ns),
            cancellationToken);
        await foreach (var pod in pages.ConfigureAwait(false))
        {
            var phase = pod.Status?.Phase;
            if (pod.Spec?.Volumes?.Any(v => v.PersistentVolumeClaim?.ClaimName == claim) == true
                && phase is not ("Succeeded" or "Failed")
                && (!scheduledOnly || !string.IsNullOrEmpty(pod.Spec?.NodeName)))
            {
                pods.Add(pod.Metadata.Name);
            }
        }
        return pods;
    }

    internal async Task RequireClassAsync(string className, CancellationToken cancellationToken)
    {
        var classes = await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false);
        if (classes.All(c => c.Metadata.Name != className))
        {
            var known = classes.Count == 0 ? "there are none" : "known classes: " + string.Join(", ", classes.Select(c => c.Metadata.Name));
            throw new ClusterException(ClusterErrors.StorageClassNotFound, $"StorageClass '{className}' does not exist ({known}); a claim of it would stay Pending, so nothing was created.", className);
        }
    }

    private static bool IsExpanded(V1PersistentVolumeClaim c)
    {
        var capacity = c.Status?.Capacity?.TryGetValue("storage", out var cap) == true ? StorageQuantity.BytesOf(cap.ToString()) : null;
        var requested = c.Spec?.Resources?.Requests?.TryGetValue("storage", out var req) == true ? StorageQuantity.BytesOf(req.ToString()) : null;
        return capacity is not null && requested is not null && capacity >= requested;
    }

    private static string ConditionText(V1PersistentVolumeClaim c) =>
        c.Status?.Conditions is { Count: > 0 } conditions
            ? " (" + string.Join("; ", conditions.Select(k => string.IsNullOrEmpty(k.Message) ? k.Type : $"{k.Type}: {k.Message}")) + ")"
            : "";

    private async Task<WatchResult<V1PersistentVolumeClaim>> WatchAsync(
        string ns, string name, Func<V1PersistentVolumeClaim?, bool> isDone, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var selector = $"metadata.name={name}";
        return await ObjectWatch.UntilAsync<V1PersistentVolumeClaim>(
            async ct =>
            {
                var list = await connection.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, fieldSelector: selector, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.FirstOrDefault(), list.Metadata.ResourceVersion);
            },
            (resourceVersion, onError, ct) => connection.Client.CoreV1.WatchListNamespacedPersistentVolumeClaimAsync(
                ns, fieldSelector: selector, resourceVersion: resourceVersion, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
            isDone,
            new ResourceRef(Kind, name, ns),
            timeout,
            log,
            cancellationToken).ConfigureAwait(false);
    }

    private static V1PersistentVolumeClaim Require(WatchResult<V1PersistentVolumeClaim> result, ResourceRef resource, TimeSpan timeout) => result switch
    {
        { End: WatchEnd.Cancelled } => throw new OperationCanceledException(),
        { End: WatchEnd.TimedOut, Last: var last } => throw new ClusterException(ClusterErrors.CsiVolumeClaimWaitTimeout, $"{resource} did not get there within {timeout}; it is {last?.Status?.Phase ?? "gone"}{(last is null ? "" : ConditionText(last))}.", resource.Name),
        { Last: null } => throw new ClusterException(ClusterErrors.CsiVolumeClaimNotFound, $"{resource} was deleted while waiting.", resource.Name),
        { Last: var found } => found,
    };

    private async Task<V1PersistentVolumeClaim> ReadAsync(string ns, string name, CancellationToken cancellationToken) =>
        await KubeApi.Call(
            ct => connection.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: ct),
            new ResourceRef(Kind, name, ns),
            cancellationToken).ConfigureAwait(false);

    private async Task<CsiVolumeClaim> ToClaimAsync(V1PersistentVolumeClaim pvc, CancellationToken cancellationToken)
    {
        var volume = pvc.Spec?.VolumeName is { Length: > 0 } volumeName
            ? await VolumeService.FindFactsAsync(connection, volumeName, cancellationToken).ConfigureAwait(false)
            : null;
        V1StorageClass? sc = null;
        if (volume is null && pvc.Spec?.StorageClassName is { Length: > 0 } className)
        {
            try
            {
                sc = await StorageClassService.ReadRawAsync(connection, className, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                // Explained by ClaimDiagnosis where it matters.
            }
        }
        return StorageMapper.ToClaim(pvc, volume, sc);
    }
}
