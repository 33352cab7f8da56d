using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// Cordon, uncordon and drain with kubectl's semantics (k8s.io/kubectl/pkg/drain): the same
/// requests, filters, 429 retries and "gone means 404 or a new UID". Waiting for pods to go is one
/// watch on the node's pods rather than a poll per pod.
/// </summary>
internal sealed class NodeMaintenance(ClusterConnection connection, IOperationLog log)
{
    /// <summary>Evictions in flight at once; every pod is still worked on concurrently, as kubectl does.</summary>
    private const int MaxRequestsInFlight = 32;

    /// <summary>The pause before an eviction is tried again on a server that could not be reached.</summary>
    private static readonly TimeSpan ServerRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Reads why a drain of this cluster's nodes did not finish.</summary>
    public NodeDiagnoser Diagnoser => new(connection, log);

    /// <summary>
    /// Cordons or uncordons. A node already in that state is not written (Changed is false), like kubectl.
    /// With a <paramref name="mark"/>, the cordon carries that annotation so its owner can tell it from
    /// anyone else's: a node someone else cordoned first gets no mark, and an uncordon with a mark leaves a
    /// node without it cordoned. Every patch carries the resourceVersion it was decided on, so a write by
    /// someone else in between (their cordon, say) turns it into a conflict and a fresh decision.
    /// </summary>
    public Task<(ClusterNode Node, bool Changed)> SetUnschedulableAsync(string name, bool unschedulable, string? mark, CancellationToken cancellationToken)
    {
        var resource = new ResourceRef("Node", name);
        return Conflicts.RetryAsync(async ct =>
        {
            var node = await KubeApi.Call(c => connection.Client.CoreV1.ReadNodeAsync(name, cancellationToken: c), resource, ct).ConfigureAwait(false);
            var marked = mark is not null && node.Metadata.Annotations?.ContainsKey(mark) == true;
            if ((node.Spec?.Unschedulable == true) == unschedulable)
            {
                return (NodeMapper.ToClusterNode(node), false);
            }

            if (!unschedulable && mark is not null && !marked)
            {
                log.Verbose($"Node {name} was cordoned by someone else; it stays cordoned.");
                return (NodeMapper.ToClusterNode(node), false);
            }

            var annotations = new Dictionary<string, string?>();
            if (mark is not null)
            {
                annotations[mark] = unschedulable ? Clock.UtcNow.ToString("o", CultureInfo.InvariantCulture) : null;
            }

            var body = JsonSerializer.Serialize(new
            {
                metadata = new { resourceVersion = node.Metadata.ResourceVersion, annotations },
                spec = new { unschedulable = unschedulable ? true : (bool?)null },
            });
            var patch = new V1Patch(body, V1Patch.PatchType.StrategicMergePatch);
            var patched = await KubeApi.Call(c => connection.Client.CoreV1.PatchNodeAsync(patch, name, cancellationToken: c), resource, ct).ConfigureAwait(false);
            return (NodeMapper.ToClusterNode(patched), true);
        }, resource, log, cancellationToken);
    }

    /// <summary>The pods bound to a node, in pages, as kubectl drain lists them (all namespaces, spec.nodeName).</summary>
    public async IAsyncEnumerable<NodePod> ListPodsAsync(string node, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var pod in ListRawPodsAsync(node, cancellationToken).ConfigureAwait(false))
        {
            yield return PodMapper.ToNodePod(pod);
        }
    }

    /// <summary>Reads the node (so a missing one is NotFound) and classifies its pods with kubectl's filters. Changes nothing.</summary>
    public async Task<DrainPlan> PlanDrainAsync(string node, DrainOptions options, CancellationToken cancellationToken)
    {
        await KubeApi.Call(c => connection.Client.CoreV1.ReadNodeAsync(node, cancellationToken: c), new ResourceRef("Node", node), cancellationToken).ConfigureAwait(false);
        var daemonSets = new Dictionary<(string, string), DrainFilters.DaemonSetProblem?>();
        var pods = new List<(V1Pod, DrainPodStatus)>();
        await foreach (var pod in ListRawPodsAsync(node, cancellationToken).ConfigureAwait(false))
        {
            var controller = DrainFilters.ControllerOf(pod);
            if (controller?.Kind == "DaemonSet" && !daemonSets.ContainsKey((pod.Metadata.NamespaceProperty, controller.Name)))
            {
                daemonSets[(pod.Metadata.NamespaceProperty, controller.Name)] = await LookUpDaemonSetAsync(pod.Metadata.NamespaceProperty, controller.Name, cancellationToken).ConfigureAwait(false);
            }

            pods.Add((pod, DrainFilters.Classify(pod, options, (ns, name) => daemonSets.GetValueOrDefault((ns, name)))));
        }

        return new DrainPlan(node, pods);
    }

    /// <summary>
    /// Evicts the plan's pods, all at once; a 429 (a disruption budget) is retried every
    /// <see cref="DrainOptions.EvictionRetryDelay"/>; each pod counts as gone on 404 or a new UID.
    /// Stops at the global timeout. Pods that did not go are in <see cref="NodeDrainResult.Failed"/> with the reason.
    /// </summary>
    public async Task<NodeDrainResult> DrainAsync(DrainPlan plan, DrainOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var targets = plan.PodsToEvict.Select(p => new PodEviction(p)).ToDictionary(e => e.Uid, StringComparer.Ordinal);
        var activity = new OperationProgress(ActivityIdOf(plan.Node), $"Draining node {plan.Node}", $"0 of {targets.Count} pods evicted", 0);
        log.Progress(activity);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Timeout is { } limit)
        {
            stop.CancelAfter(limit);
        }

        var trouble = new ServerTrouble();
        var gone = 0;
        var reporting = new object();
        void Gone(PodEviction eviction)
        {
            // The watch and a 404 from an eviction can both report: one at a time, so the count never goes backwards.
            lock (reporting)
            {
                if (eviction.Finish(null))
                {
                    gone++;
                    // kubectl's lines, word for word, so a log reads the same whichever tool drained.
                    log.Verbose($"pod/{eviction.Name} {(options.DisableEviction ? "deleted" : "evicted")}");
                    log.Progress(activity with { Status = $"{gone} of {targets.Count} pods evicted", PercentComplete = gone * 100 / Math.Max(1, targets.Count) });
                }
            }
        }

        string Unfinished(PodEviction eviction) => trouble.Current is { } lost
            ? $"{eviction.TimeoutReason}; the API server could not be reached at the end: {lost.Message}"
            : eviction.TimeoutReason;

        if (targets.Count > 0)
        {
            using var throttle = new SemaphoreSlim(MaxRequestsInFlight);
            using var watchDone = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var watching = WatchUntilGoneAsync(plan.Node, targets, Gone, trouble, watchDone.Token);
            var evicting = targets.Values.Select(e => EvictAsync(e, options, throttle, Gone, trouble, stop.Token)).ToList();
            var settled = Task.WhenAll(targets.Values.Select(e => e.Settled));
            try
            {
                await Task.WhenAny(settled, watching, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
                if (watching.IsCompleted && !settled.IsCompleted)
                {
                    // The watch ended early: it timed out with the drain, or failed for good after its retries.
                    var problem = await watching.ConfigureAwait(false);
                    await stop.CancelAsync().ConfigureAwait(false);
                    foreach (var eviction in targets.Values)
                    {
                        eviction.Finish(problem ?? Unfinished(eviction));
                    }
                }
                else if (!settled.IsCompleted)
                {
                    foreach (var eviction in targets.Values)
                    {
                        eviction.Finish(Unfinished(eviction));
                    }
                }
            }
            finally
            {
                await watchDone.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(evicting).ConfigureAwait(false);
                await watching.ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        log.Progress(activity with { Completed = true, PercentComplete = 100 });
        var failed = targets.Values.Where(e => e.Failure is not null)
            .Select(e => new DrainPodStatus { Namespace = e.Namespace, Name = e.Name, Action = DrainAction.Block, Reason = e.Failure })
            .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToArray();
        return new NodeDrainResult
        {
            Node = plan.Node,
            Evicted = [.. targets.Values.Where(e => e.Failure is null).Select(e => e.ToString()).Order(StringComparer.Ordinal)],
            Skipped = plan.Skip,
            Failed = failed,
            Duration = IsoDuration.Format(clock.Elapsed),
        };
    }

    private async Task EvictAsync(PodEviction eviction, DrainOptions options, SemaphoreSlim throttle, Action<PodEviction> gone, ServerTrouble trouble, CancellationToken cancellationToken)
    {
        var resource = new ResourceRef("Pod", eviction.Name, eviction.Namespace);
        try
        {
            while (!eviction.Settled.IsCompleted)
            {
                await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    log.Verbose($"{(options.DisableEviction ? "deleting" : "evicting")} pod {eviction}");
                    await KubeApi.Call(ct => RemoveAsync(eviction, options, ct), resource, cancellationToken).ConfigureAwait(false);
                    eviction.Evicted = true;
                    trouble.Current = null;
                    return;
                }
                catch (ClusterException e) when (e.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.Timeout)
                {
                    // An unreachable server says nothing about the pod: the drain's own timeout decides when to stop.
                    trouble.Current = e;
                    log.Verbose($"Cannot evict pod {eviction} now (will retry after {ServerRetryDelay.TotalSeconds:0.#} s): {e.Message}");
                }
                catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
                {
                    gone(eviction);
                    return;
                }
                catch (ClusterException e) when (e.Kind == ClusterErrorKind.TooManyRequests)
                {
                    eviction.Refusal = e.ServerMessage ?? e.Message;
                    log.Verbose($"Cannot evict pod {eviction} yet (will retry after {options.EvictionRetryDelay.TotalSeconds:0.#} s): {eviction.Refusal}");
                }
                finally
                {
                    throttle.Release();
                }

                await Task.Delay(trouble.Current is null ? options.EvictionRetryDelay : ServerRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterException e)
        {
            eviction.Finish($"eviction failed: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The timeout or Ctrl+C: DrainAsync reports the pod with the reason it was still here.
        }
    }

    private Task RemoveAsync(PodEviction eviction, DrainOptions options, CancellationToken cancellationToken)
    {
        var deleteOptions = new V1DeleteOptions { GracePeriodSeconds = options.GracePeriodSeconds };
        if (options.DisableEviction)
        {
            return connection.Client.CoreV1.DeleteNamespacedPodAsync(eviction.Name, eviction.Namespace, deleteOptions, cancellationToken: cancellationToken);
        }

        var body = new V1Eviction
        {
            ApiVersion = "policy/v1",
            Kind = "Eviction",
            Metadata = new V1ObjectMeta { Name = eviction.Name, NamespaceProperty = eviction.Namespace },
            DeleteOptions = deleteOptions,
        };
        return connection.Client.CoreV1.CreateNamespacedPodEvictionAsync(body, eviction.Name, eviction.Namespace, cancellationToken: cancellationToken);
    }

    /// <summary>Null when every target went (or the wait was stopped); otherwise why the watch gave up.</summary>
    private async Task<string?> WatchUntilGoneAsync(string node, Dictionary<string, PodEviction> targets, Action<PodEviction> gone, ServerTrouble trouble, CancellationToken cancellationToken)
    {
        var selector = $"spec.nodeName={node}";
        try
        {
            await CollectionWatch.UntilAsync<V1Pod>(
                async ct =>
                {
                    var list = await connection.Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: selector, cancellationToken: ct).ConfigureAwait(false);
                    return (list.Items.ToList(), list.Metadata.ResourceVersion);
                },
                (rv, onError, ct) => connection.Client.CoreV1.WatchListPodForAllNamespacesAsync(
                    fieldSelector: selector, resourceVersion: rv, allowWatchBookmarks: true, onError: onError, cancellationToken: ct),
                present =>
                {
                    foreach (var target in targets.Values.Where(t => !present.ContainsKey(t.Uid)))
                    {
                        gone(target);
                    }

                    return targets.Values.All(t => t.Settled.IsCompleted);
                },
                new ResourceRef("Pod", null),
                Timeout.InfiniteTimeSpan,
                log,
                cancellationToken,
                e => trouble.Current = e).ConfigureAwait(false);
            return null;
        }
        catch (ClusterException e)
        {
            return $"could not follow the node's pods: {e.Message}";
        }
    }

    private async Task<DrainFilters.DaemonSetProblem?> LookUpDaemonSetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await KubeApi.Call(c => connection.Client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: c), new ResourceRef("DaemonSet", name, ns), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ClusterException e) when (e.Kind != ClusterErrorKind.Unreachable)
        {
            return new DrainFilters.DaemonSetProblem(e.ServerMessage ?? e.Message, e.Kind == ClusterErrorKind.NotFound);
        }
    }

    private IAsyncEnumerable<V1Pod> ListRawPodsAsync(string node, CancellationToken cancellationToken) =>
        Paging.ListAll<V1PodList, V1Pod>(
            (token, limit, ct) => connection.Client.CoreV1.ListPodForAllNamespacesAsync(
                continueParameter: token,
                fieldSelector: $"spec.nodeName={node}",
                limit: limit,
                cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("Pod", null),
            cancellationToken);

    /// <summary>Progress bars of nodes drained side by side must not overwrite each other.</summary>
    private static int ActivityIdOf(string node) => 1000 + (int)((uint)StringComparer.Ordinal.GetHashCode(node) % 100_000);

    /// <summary>The last failure to reach the API server while it has not answered since; null while it answers.</summary>
    private sealed class ServerTrouble
    {
        private volatile ClusterException? current;

        public ClusterException? Current
        {
            get => current;
            set => current = value;
        }
    }

    private sealed class PodEviction(V1Pod pod)
    {
        private readonly TaskCompletionSource settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Uid { get; } = pod.Metadata.Uid;
        public string Namespace { get; } = pod.Metadata.NamespaceProperty;
        public string Name { get; } = pod.Metadata.Name;
        public volatile bool Evicted;
        public volatile string? Refusal;
        public string? Failure { get; private set; }

        public Task Settled => settled.Task;

        public string TimeoutReason =>
            Refusal is not null && !Evicted ? $"not evicted before the timeout: {Refusal}"
            : Evicted ? "evicted, but still terminating when the timeout passed"
            : "not evicted before the timeout";

        /// <summary>Settles the pod once: null for gone, else why it is still there. True if this call settled it.</summary>
        public bool Finish(string? failure)
        {
            lock (settled)
            {
                if (settled.Task.IsCompleted)
                {
                    return false;
                }

                Failure = failure;
                settled.SetResult();
                return true;
            }
        }

        public override string ToString() => $"{Namespace}/{Name}";
    }
}
