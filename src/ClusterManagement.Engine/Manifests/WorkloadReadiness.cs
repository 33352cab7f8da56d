using System.Diagnostics;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Manifests;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Manifests;

/// <summary>
/// Waits for applied workloads to report their pods ready: after Publish-ClusterManifest -Wait, and
/// for the controller and node plugins of a CSI driver being installed.
/// </summary>
internal sealed class WorkloadReadiness(ClusterConnection connection, IOperationLog log)
{
    /// <summary>One progress bar for a whole install or apply, whichever wait it is in.</summary>
    public const int ProgressId = 4;

    /// <summary>Waits until every Deployment, StatefulSet and DaemonSet among <paramref name="applied"/> has rolled out (<see cref="RolloutCompletion"/>).</summary>
    public async Task WaitAsync(IReadOnlyList<AppliedObject> applied, TimeSpan timeout, string activity, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => timeout - clock.Elapsed > TimeSpan.Zero ? timeout - clock.Elapsed : TimeSpan.Zero;
        var workloads = applied.Where(a => a.Kind is "Deployment" or "StatefulSet" or "DaemonSet").ToList();
        for (var i = 0; i < workloads.Count; i++)
        {
            var workload = workloads[i];
            var reference = new ResourceRef(workload.Kind, workload.Name, workload.Namespace);
            log.Progress(new OperationProgress(ProgressId, activity, $"Waiting for {reference} to be ready", 100 * i / workloads.Count));
            var end = workload.Kind switch
            {
                "Deployment" => await UntilReadyAsync<V1Deployment>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedDeploymentAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDeploymentAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    RolloutCompletion.IsComplete,
                    cancellationToken).ConfigureAwait(false),
                "StatefulSet" => await UntilReadyAsync<V1StatefulSet>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedStatefulSetAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    RolloutCompletion.IsComplete,
                    cancellationToken).ConfigureAwait(false),
                _ => await UntilReadyAsync<V1DaemonSet>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedDaemonSetAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDaemonSetAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    RolloutCompletion.IsComplete,
                    cancellationToken).ConfigureAwait(false),
            };
            Check(end, reference, timeout, "its pods were not ready");
        }
    }

    private async Task<WatchEnd> UntilReadyAsync<T>(
        AppliedObject workload,
        ResourceRef reference,
        TimeSpan timeout,
        Func<string, string, CancellationToken, Task<(T?, string)>> list,
        Func<string, string, string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<T, bool> ready,
        CancellationToken cancellationToken)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var ns = workload.Namespace ?? connection.ContextNamespace;
        var selector = $"metadata.name={workload.Name}";
        var result = await ObjectWatch.UntilAsync<T>(
            ct => list(ns, selector, ct),
            (rv, onError, ct) => watch(ns, selector, rv, onError, ct),
            o => o is not null && ready(o),
            reference, timeout, log, cancellationToken).ConfigureAwait(false);
        return result.End;
    }

    /// <summary>Turns how a wait ended into the error the caller reports; a wait that succeeded passes.</summary>
    internal static void Check(WatchEnd end, ResourceRef reference, TimeSpan timeout, string what)
    {
        switch (end)
        {
            case WatchEnd.Cancelled:
                throw new OperationCanceledException();
            case WatchEnd.TimedOut:
                throw new ClusterException(ClusterErrors.ManifestWaitTimeout, $"The manifests were applied, but within {timeout} {what} ({reference}). Look at its pods and events, then apply again to keep waiting.", reference.Name);
        }
    }
}
