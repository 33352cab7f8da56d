using System.Diagnostics;
using ClusterManagement.Apps;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Diagnostics;
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

    /// <summary>Waits until every Deployment, StatefulSet and DaemonSet among <paramref name="applied"/> has rolled out (<see cref="RolloutCompletion"/>, <see cref="RolloutProgress"/>).</summary>
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
                "Deployment" => await DeploymentEndAsync(workload, reference, timeout, Left, cancellationToken).ConfigureAwait(false),
                "StatefulSet" => (await UntilReadyAsync<V1StatefulSet>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedStatefulSetAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    RolloutCompletion.IsComplete,
                    cancellationToken).ConfigureAwait(false)).End,
                _ => (await UntilReadyAsync<V1DaemonSet>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedDaemonSetAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDaemonSetAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    RolloutCompletion.IsComplete,
                    cancellationToken).ConfigureAwait(false)).End,
            };
            Check(end, reference, timeout, "its pods were not ready");
        }
    }

    /// <summary>
    /// A Deployment's wait ends, as kubectl rollout status's does (<see cref="RolloutProgress"/>), when it has
    /// rolled out or has exceeded its progress deadline; one that did not roll out fails with the rollout's
    /// diagnosis, read as the app cmdlets read it.
    /// </summary>
    private async Task<WatchEnd> DeploymentEndAsync(AppliedObject workload, ResourceRef reference, TimeSpan timeout, Func<TimeSpan> left, CancellationToken cancellationToken)
    {
        var result = await UntilReadyAsync<V1Deployment>(workload, reference, left(),
            async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedDeploymentAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
            (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDeploymentAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
            d => RolloutProgress.Evaluate(d).Status != AppRolloutStatus.Progressing,
            cancellationToken).ConfigureAwait(false);
        var failed = result is { End: WatchEnd.Done, Last: { } last } && RolloutProgress.Evaluate(last).Status == AppRolloutStatus.Failed;
        if (!failed && result.End != WatchEnd.TimedOut)
        {
            return result.End;
        }
        var ns = workload.Namespace ?? connection.ContextNamespace;
        var diagnosis = await new RolloutDiagnoser(connection, log).DiagnoseAsync(ns, workload.Name, left(), cancellationToken).ConfigureAwait(false);
        throw failed
            ? new ClusterException(ClusterErrors.AppProgressDeadlineExceeded, $"The manifests were applied, but {RolloutProgress.Evaluate(result.Last!).Message} ({reference}).", workload.Name) { Diagnosis = diagnosis }
            : Diagnoses.Attach(TimedOut(reference, timeout, "its pods were not ready"), diagnosis);
    }

    private async Task<WatchResult<T>> UntilReadyAsync<T>(
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
        return await ObjectWatch.UntilAsync<T>(
            ct => list(ns, selector, ct),
            (rv, onError, ct) => watch(ns, selector, rv, onError, ct),
            o => o is not null && ready(o),
            reference, timeout, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns how a wait ended into the error the caller reports; a wait that succeeded passes.</summary>
    internal static void Check(WatchEnd end, ResourceRef reference, TimeSpan timeout, string what)
    {
        switch (end)
        {
            case WatchEnd.Cancelled:
                throw new OperationCanceledException();
            case WatchEnd.TimedOut:
                throw TimedOut(reference, timeout, what);
        }
    }

    private static ClusterException TimedOut(ResourceRef reference, TimeSpan timeout, string what) =>
        new(ClusterErrors.ManifestWaitTimeout, $"The manifests were applied, but within {timeout} {what} ({reference}). Look at its pods and events, then apply again to keep waiting.", reference.Name);
}
