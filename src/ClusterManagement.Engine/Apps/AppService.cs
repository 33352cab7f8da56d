using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Apps;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Apps;

/// <summary>Reads and changes apps (Deployments) the way kubectl's get, set image, rollout and scale do.</summary>
internal sealed class AppService(ClusterConnection connection)
{
    private const string FieldManager = "ClusterManagement";
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private static ResourceRef Ref(string ns, string? name) => new("App", name, ns);

    public async Task<ClusterApp> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        AppMapper.ToClusterApp(await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false));

    /// <summary>The app with its pods' problems (Get-ClusterApp -Detailed): its ReplicaSets and their pods, by its selector.</summary>
    public async Task<ClusterApp> GetDetailedAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var (deployment, owned) = await ReadWithReplicaSetsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var pods = await OwnedPods.ListAsync(connection, ns, LabelSelectorText.Format(deployment.Spec.Selector), owned.Select(rs => rs.Metadata.Uid), cancellationToken).ConfigureAwait(false);
        return AppMapper.ToClusterApp(deployment, pods);
    }

    public Task<V1Deployment> ReadAsync(string ns, string name, CancellationToken cancellationToken) =>
        KubeApi.Call(ct => connection.Client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct), Ref(ns, name), cancellationToken);

    /// <param name="ns">Null for every namespace.</param>
    /// <param name="detailed">With each app's pods' problems, from one list of ReplicaSets and one of pods per namespace.</param>
    public async IAsyncEnumerable<ClusterApp> ListAsync(
        string? ns,
        string? labelSelector,
        bool detailed,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pods = detailed ? new NamespacePods(connection) : null;
        var pages = Paging.ListAll<DeploymentListReader.Page, V1Deployment>(
            (token, limit, ct) => DeploymentListReader.ReadPageAsync(connection, ns, labelSelector, token, limit, ct),
            page => page.Items,
            page => page.Continue,
            Ref(ns ?? "*", null),
            cancellationToken);
        await foreach (var d in pages.ConfigureAwait(false))
        {
            yield return AppMapper.ToClusterApp(d, pods is null ? null : await pods.OfAsync(d, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>App names in a namespace, for tab completion; one page is plenty for a completion list.</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(string ns, CancellationToken cancellationToken)
    {
        var list = await KubeApi.Call(
            ct => connection.Client.AppsV1.ListNamespacedDeploymentAsync(ns, limit: Paging.PageSize, cancellationToken: ct),
            Ref(ns, null), cancellationToken, idempotent: false).ConfigureAwait(false);
        return [.. list.Items.Select(d => d.Metadata.Name)];
    }

    /// <summary>The app's ReplicaSets, kubectl's way: by the Deployment's selector, then by controller owner reference.</summary>
    public async Task<(V1Deployment Deployment, IReadOnlyList<V1ReplicaSet> Owned)> ReadWithReplicaSetsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deployment = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return (deployment, await ListOwnedAsync(deployment, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<V1ReplicaSet>> ListOwnedAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var selector = LabelSelectorText.Format(deployment.Spec.Selector);
        var sets = new List<V1ReplicaSet>();
        var pages = Paging.ListAll<V1ReplicaSetList, V1ReplicaSet>(
            (token, limit, ct) => connection.Client.AppsV1.ListNamespacedReplicaSetAsync(ns, continueParameter: token, labelSelector: selector, limit: limit, cancellationToken: ct),
            list => list.Items, list => list.Metadata?.ContinueProperty, new ResourceRef("ReplicaSet", null, ns), cancellationToken);
        await foreach (var rs in pages.ConfigureAwait(false))
        {
            sets.Add(rs);
        }
        return DeploymentHistory.Owned(deployment, sets);
    }

    public async Task<IReadOnlyList<AppRevision>> GetRevisionsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var (deployment, owned) = await ReadWithReplicaSetsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return DeploymentHistory.Revisions(deployment, owned);
    }

    /// <summary>
    /// kubectl set image as one strategic merge patch (plus the change cause), conditional on the version
    /// read, so the container check and the write agree; a concurrent change means read, check and try again.
    /// </summary>
    /// <param name="images">Container name to image; a null name means the app's only container.</param>
    public async Task<AppRollout> PublishAsync(string ns, string name, IReadOnlyList<KeyValuePair<string?, string>> images, string? changeCause, IOperationLog log, CancellationToken cancellationToken)
    {
        foreach (var (_, image) in images)
        {
            if (ImageReference.Problem(image) is { } problem)
            {
                throw new ClusterException(ClusterErrors.ImageReferenceInvalid, $"'{image}' is not a valid image reference: {problem}.", image);
            }
        }
        var clock = Stopwatch.StartNew();
        return await Conflicts.RetryAsync(async ct =>
        {
            var deployment = await ReadAsync(ns, name, ct).ConfigureAwait(false);
            var wanted = ResolveContainers(deployment, images);
            var from = DeploymentHistory.Revision(deployment.Metadata);
            var containers = deployment.Spec.Template.Spec.Containers;
            var changed = wanted.Where(w => containers.Concat(deployment.Spec.Template.Spec.InitContainers ?? []).First(c => c.Name == w.Key).Image != w.Value).ToList();
            var causeChanged = changeCause is not null && (deployment.Metadata.Annotations?.TryGetValue(DeploymentHistory.ChangeCauseAnnotation, out var cause) == true ? cause : null) != changeCause;
            if (changed.Count == 0 && !causeChanged)
            {
                return new AppRollout
                {
                    App = name, Namespace = ns, FromRevision = NullIfZero(from), ToRevision = NullIfZero(from),
                    Images = [.. containers.Select(c => c.Image)], Status = AppRolloutStatus.Skipped,
                    Message = $"app \"{name}\" already runs {string.Join(", ", wanted.Select(w => $"{w.Key}={w.Value}"))}", Duration = IsoDuration.Format(clock.Elapsed),
                };
            }
            var patch = SetImagePatch(deployment, changed, changeCause);
            log.Verbose($"Patching {Ref(ns, name)}: {patch}");
            var updated = await KubeApi.Call(
                c => connection.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, ns, fieldManager: FieldManager, cancellationToken: c),
                Ref(ns, name), ct, idempotent: false).ConfigureAwait(false);
            return await AfterChangeAsync(updated, from, clock, "image updated", ct).ConfigureAwait(false);
        }, Ref(ns, name), log, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string> ResolveContainers(V1Deployment deployment, IReadOnlyList<KeyValuePair<string?, string>> images)
    {
        var spec = deployment.Spec.Template.Spec;
        var all = spec.Containers.Concat(spec.InitContainers ?? []).Select(c => c.Name).ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (container, image) in images)
        {
            if (container is null)
            {
                if (spec.Containers.Count != 1)
                {
                    throw new ClusterException(ClusterErrors.AppContainerAmbiguous, $"App '{deployment.Metadata.Name}' has {spec.Containers.Count} containers ({string.Join(", ", spec.Containers.Select(c => c.Name))}); name one with -Container or give -Image @{{name='image'}}.",
                        deployment.Metadata.Name);
                }
                result[spec.Containers[0].Name] = image;
            }
            else if (all.Contains(container, StringComparer.Ordinal))
            {
                result[container] = image;
            }
            else
            {
                throw new ClusterException(ClusterErrors.AppContainerNotFound, $"unable to find container named \"{container}\"", container);
            }
        }
        return result;
    }

    private static string SetImagePatch(V1Deployment deployment, List<KeyValuePair<string, string>> changed, string? changeCause)
    {
        var spec = deployment.Spec.Template.Spec;
        var podSpec = new Dictionary<string, object>();
        void Add(string list, IList<V1Container>? containers)
        {
            var mine = changed.Where(c => containers?.Any(x => x.Name == c.Key) == true).ToList();
            if (mine.Count > 0)
            {
                podSpec[$"$setElementOrder/{list}"] = containers!.Select(c => new Dictionary<string, string> { ["name"] = c.Name }).ToList();
                podSpec[list] = mine.Select(c => new Dictionary<string, string> { ["image"] = c.Value, ["name"] = c.Key }).ToList();
            }
        }
        Add("containers", spec.Containers);
        Add("initContainers", spec.InitContainers);
        var metadata = new Dictionary<string, object> { ["resourceVersion"] = deployment.Metadata.ResourceVersion };
        if (changeCause is not null)
        {
            metadata["annotations"] = new Dictionary<string, string> { [DeploymentHistory.ChangeCauseAnnotation] = changeCause };
        }
        var body = new Dictionary<string, object> { ["metadata"] = metadata };
        if (podSpec.Count > 0)
        {
            body["spec"] = new Dictionary<string, object> { ["template"] = new Dictionary<string, object> { ["spec"] = podSpec } };
        }
        return KubernetesJson.Serialize(body);
    }

    /// <summary>Plans kubectl rollout undo without changing anything, so the caller can confirm it first.</summary>
    public async Task<PlannedRollback> PlanRollbackAsync(string ns, string name, long toRevision, CancellationToken cancellationToken)
    {
        var (deployment, owned) = await ReadWithReplicaSetsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        // kubectl walks the old sets in list order and the current one last; ties between revisions depend on it.
        var current = DeploymentHistory.Current(deployment, owned);
        var ordered = owned.Where(rs => !ReferenceEquals(rs, current)).Append(current).OfType<V1ReplicaSet>().ToList();
        var plan = RollbackPlanner.Plan(deployment, ordered, toRevision);
        return new PlannedRollback
        {
            App = name,
            Namespace = ns,
            FromRevision = DeploymentHistory.Revision(deployment.Metadata),
            TargetRevision = plan.TargetRevision,
            TargetImages = [.. plan.Target.Spec.Template.Spec.Containers.Select(c => c.Image)],
            SkipMessage = plan.SkipMessage,
            Deployment = deployment,
            Plan = plan,
        };
    }

    /// <summary>Sends the plan's JSON patch, without a precondition, exactly as kubectl does.</summary>
    public async Task<AppRollout> RollbackAsync(PlannedRollback planned, CancellationToken cancellationToken)
    {
        var (deployment, plan) = (planned.Deployment, planned.Plan);
        var clock = Stopwatch.StartNew();
        var ns = deployment.Metadata.NamespaceProperty;
        var name = deployment.Metadata.Name;
        var from = DeploymentHistory.Revision(deployment.Metadata);
        if (plan.Patch is null)
        {
            return new AppRollout
            {
                App = name, Namespace = ns, FromRevision = NullIfZero(from), ToRevision = NullIfZero(from),
                Images = [.. deployment.Spec.Template.Spec.Containers.Select(c => c.Image)], Status = AppRolloutStatus.Skipped,
                Message = plan.SkipMessage!, Duration = IsoDuration.Format(clock.Elapsed),
            };
        }
        // The patch sets the whole template of the chosen revision, whatever the app runs now: sent again as it is.
        var updated = await Conflicts.RetryAsync(
            ct => KubeApi.Call(
                c => connection.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(plan.Patch, V1Patch.PatchType.JsonPatch), name, ns, fieldManager: FieldManager, cancellationToken: c),
                Ref(ns, name), ct, idempotent: false),
            Ref(ns, name), cancellationToken).ConfigureAwait(false);
        return await AfterChangeAsync(updated, from, clock, "rolled back", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Through the scale subresource, as kubectl scale: a merge patch, or with <paramref name="currentReplicas"/>
    /// a read, a client-side check and a PUT conditional on the version read (409: read and check again).
    /// </summary>
    public async Task<int> ScaleAsync(string ns, string name, int replicas, int? currentReplicas, IOperationLog log, CancellationToken cancellationToken)
    {
        if (replicas < 0)
        {
            throw new ClusterException(ClusterErrors.ReplicaCountInvalid, $"The replica count must be 0 or more, not {replicas}.", replicas);
        }
        if (currentReplicas is null)
        {
            var patched = await Conflicts.RetryAsync(
                ct => KubeApi.Call(
                    c => connection.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
                        new V1Patch($"{{\"spec\":{{\"replicas\":{replicas.ToString(CultureInfo.InvariantCulture)}}}}}", V1Patch.PatchType.MergePatch), name, ns, fieldManager: FieldManager, cancellationToken: c),
                    Ref(ns, name), ct),
                Ref(ns, name), log, cancellationToken).ConfigureAwait(false);
            return patched.Status?.Replicas ?? 0;
        }
        return await Conflicts.RetryAsync(async ct =>
        {
            var scale = await KubeApi.Call(c => connection.Client.AppsV1.ReadNamespacedDeploymentScaleAsync(name, ns, cancellationToken: c), Ref(ns, name), ct).ConfigureAwait(false);
            var actual = scale.Spec?.Replicas ?? 0;
            if (actual != currentReplicas)
            {
                throw new ClusterException(ClusterErrors.AppReplicaPreconditionFailed, $"Expected replicas to be {currentReplicas}, was {actual}", name);
            }
            scale.Spec ??= new V1ScaleSpec();
            scale.Spec.Replicas = replicas;
            var replaced = await KubeApi.Call(
                c => connection.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, name, ns, fieldManager: FieldManager, cancellationToken: c),
                Ref(ns, name), ct, idempotent: false).ConfigureAwait(false);
            return replaced.Status?.Replicas ?? 0;
        }, Ref(ns, name), log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>kubectl rollout pause/resume; returns false when the app already was in that state (no write).</summary>
    public Task<bool> SetPausedAsync(string ns, string name, bool paused, CancellationToken cancellationToken) =>
        Conflicts.RetryAsync(async ct =>
        {
            var deployment = await ReadAsync(ns, name, ct).ConfigureAwait(false);
            if ((deployment.Spec.Paused == true) == paused)
            {
                return false;
            }
            var patch = paused ? "{\"spec\":{\"paused\":true}}" : "{\"spec\":{\"paused\":null}}";
            await KubeApi.Call(
                c => connection.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, ns, fieldManager: FieldManager, cancellationToken: c),
                Ref(ns, name), ct).ConfigureAwait(false);
            return true;
        }, Ref(ns, name), cancellationToken);

    /// <summary>kubectl rollout restart: a new restartedAt template annotation starts a fresh rollout of the same images.</summary>
    public Task<AppRollout> RestartAsync(string ns, string name, DateTime at, CancellationToken cancellationToken) =>
        Conflicts.RetryAsync(ct => RestartOnceAsync(ns, name, at, ct), Ref(ns, name), cancellationToken);

    private async Task<AppRollout> RestartOnceAsync(string ns, string name, DateTime at, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var deployment = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (deployment.Spec.Paused == true)
        {
            throw new ClusterException(ClusterErrors.AppPaused, $"deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)", name);
        }
        var stamp = at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var patch = KubernetesJson.Serialize(new Dictionary<string, object>
        {
            ["spec"] = new Dictionary<string, object>
            {
                ["template"] = new Dictionary<string, object>
                {
                    ["metadata"] = new Dictionary<string, object> { ["annotations"] = new Dictionary<string, string> { [RestartedAtAnnotation] = stamp } },
                },
            },
        });
        var updated = await KubeApi.Call(
            ct => connection.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, ns, fieldManager: FieldManager, cancellationToken: ct),
            Ref(ns, name), cancellationToken, idempotent: false).ConfigureAwait(false);
        return await AfterChangeAsync(updated, DeploymentHistory.Revision(deployment.Metadata), clock, "restarted", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// kubectl rollout status: list by name, then watch from the list's resourceVersion (reconnecting,
    /// relisting on 410) until the rollout completes, fails its progress deadline, or the wait ends.
    /// </summary>
    public async Task<AppRollout> WaitAsync(string ns, string name, long? fromRevision, TimeSpan timeout, Action<RolloutState> progress, IOperationLog log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var fieldSelector = $"metadata.name={name}";
        RolloutState? state = null;
        WatchResult<V1Deployment> result;
        try
        {
            result = await FollowAsync();
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.Timeout)
        {
            // An unreachable server is AppRolloutWaitInterrupted (its one kind, ConnectionError); a timeout keeps its own error.
            throw new ClusterException(
                e.Kind == ClusterErrorKind.Unreachable ? ClusterErrors.AppRolloutWaitInterrupted : e.Error,
                $"{e.Message} Last seen of {Ref(ns, name)}: {state?.Message ?? "nothing, the server was not reached"}. The rollout itself goes on in the cluster.",
                name,
                e);
        }

        Task<WatchResult<V1Deployment>> FollowAsync() => ObjectWatch.UntilAsync<V1Deployment>(
            async ct =>
            {
                var list = await connection.Client.AppsV1.ListNamespacedDeploymentAsync(ns, fieldSelector: fieldSelector, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.FirstOrDefault(), list.Metadata.ResourceVersion);
            },
            (rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDeploymentAsync(ns, fieldSelector: fieldSelector, resourceVersion: rv, onError: onError, cancellationToken: ct),
            d =>
            {
                if (d is null)
                {
                    throw new ClusterException(ClusterErrors.AppNotFound, $"{Ref(ns, name)} was not found.", name);
                }
                state = RolloutProgress.Evaluate(d);
                progress(state);
                return state.Status != AppRolloutStatus.Progressing;
            },
            Ref(ns, name), timeout, log, cancellationToken);
        var last = result.Last!;
        state ??= RolloutProgress.Evaluate(last);
        var message = result.End switch
        {
            WatchEnd.TimedOut => $"{state.Message} (stopped waiting after {timeout}; the rollout goes on)",
            WatchEnd.Cancelled => $"{state.Message} (stopped waiting; the rollout goes on)",
            _ => state.Message,
        };
        // A wait the caller stopped gets no diagnosis: nobody waits for one.
        var diagnosis = state.Status == AppRolloutStatus.Failed || (state.Status == AppRolloutStatus.Progressing && result.End == WatchEnd.TimedOut)
            ? await new RolloutDiagnoser(connection, log).DiagnoseAsync(ns, name, timeout - clock.Elapsed, cancellationToken).ConfigureAwait(false)
            : null;
        return new AppRollout
        {
            App = name, Namespace = ns, FromRevision = fromRevision, ToRevision = NullIfZero(DeploymentHistory.Revision(last.Metadata)),
            Images = [.. last.Spec.Template.Spec.Containers.Select(c => c.Image)],
            Status = state.Status, Message = message, Duration = IsoDuration.Format(clock.Elapsed), Diagnosis = diagnosis,
        };
    }

    /// <summary>
    /// The outcome of a template change before the controller acts: the revision it will give is
    /// known from the ReplicaSets (an existing set with that template is reused and renumbered).
    /// </summary>
    private async Task<AppRollout> AfterChangeAsync(V1Deployment updated, long from, Stopwatch clock, string what, CancellationToken cancellationToken)
    {
        var ns = updated.Metadata.NamespaceProperty;
        var name = updated.Metadata.Name;
        var owned = await ListOwnedAsync(updated, cancellationToken).ConfigureAwait(false);
        var current = DeploymentHistory.Current(updated, owned);
        var others = owned.Where(rs => !ReferenceEquals(rs, current)).Select(rs => DeploymentHistory.Revision(rs.Metadata)).DefaultIfEmpty(0).Max();
        var to = current is not null && DeploymentHistory.Revision(current.Metadata) > others ? DeploymentHistory.Revision(current.Metadata) : others + 1;
        return new AppRollout
        {
            App = name, Namespace = ns, FromRevision = NullIfZero(from), ToRevision = to,
            Images = [.. updated.Spec.Template.Spec.Containers.Select(c => c.Image)],
            Status = AppRolloutStatus.Progressing, Message = $"deployment.apps/{name} {what}", Duration = IsoDuration.Format(clock.Elapsed),
        };
    }

    private static long? NullIfZero(long value) => value == 0 ? null : value;
}
