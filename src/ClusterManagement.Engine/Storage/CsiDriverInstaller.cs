using System.Diagnostics;
using ClusterManagement.Diagnostics;
using ClusterManagement.Kubernetes;
using ClusterManagement.Manifests;
using k8s;
using k8s.Models;

namespace ClusterManagement.Storage;

/// <summary>
/// Installs a CSI driver from its manifests, as a driver's install script does (apply everything),
/// then waits until the CSIDriver object exists and its controller and node workloads are ready.
/// </summary>
public sealed class CsiDriverInstaller(ClusterConnection connection, IOperationLog log)
{
    private const int ProgressId = 4;

    /// <summary>The driver the manifests register: <paramref name="name"/>, or their only CSIDriver object.</summary>
    public static string DriverNameOf(IReadOnlyList<ManifestDocument> documents, string? name)
    {
        var declared = documents.Where(d => d.Kind == "CSIDriver").Select(d => d.Name).Distinct().ToList();
        if (name is not null)
        {
            return name;
        }
        return declared.Count switch
        {
            1 => declared[0],
            0 => throw new ClusterException(ClusterErrorKind.Invalid, "CsiDriverNotInManifests",
                "The manifests contain no CSIDriver object, so the driver's name is unknown: name it with -Name."),
            _ => throw new ClusterException(ClusterErrorKind.Invalid, "CsiDriverAmbiguous",
                $"The manifests contain several CSIDriver objects ({string.Join(", ", declared)}): name the one to wait for with -Name."),
        };
    }

    /// <summary>Waits for the driver's CSIDriver object, then for the workloads among <paramref name="applied"/>, within one overall timeout.</summary>
    public async Task<CsiDriver> WaitReadyAsync(string driver, IReadOnlyList<AppliedObject> applied, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => timeout - clock.Elapsed > TimeSpan.Zero ? timeout - clock.Elapsed : TimeSpan.Zero;
        log.Progress(new OperationProgress(ProgressId, $"Installing CSI driver {driver}", "Waiting for the CSIDriver object"));
        var driverRef = new ResourceRef("CsiDriver", driver);
        var registered = await ObjectWatch.UntilAsync<V1CSIDriver>(
            async ct =>
            {
                var list = await connection.Client.StorageV1.ListCSIDriverAsync(fieldSelector: $"metadata.name={driver}", cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.FirstOrDefault(), list.Metadata.ResourceVersion);
            },
            (rv, onError, ct) => connection.Client.StorageV1.WatchListCSIDriverAsync(fieldSelector: $"metadata.name={driver}", resourceVersion: rv, onError: onError, cancellationToken: ct),
            d => d is not null,
            driverRef, Left(), log, cancellationToken).ConfigureAwait(false);
        Check(registered.End, driverRef, timeout, "the CSIDriver object was not registered");
        await WaitForWorkloadsAsync(applied, Left(), $"Installing CSI driver {driver}", cancellationToken).ConfigureAwait(false);
        log.Progress(new OperationProgress(ProgressId, $"Installing CSI driver {driver}", "Ready", Completed: true));
        return await new CsiDriverService(connection).GetAsync(driver, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every Deployment, StatefulSet and DaemonSet among <paramref name="applied"/> reports its pods ready.</summary>
    public async Task WaitForWorkloadsAsync(IReadOnlyList<AppliedObject> applied, TimeSpan timeout, string activity, CancellationToken cancellationToken)
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
                "Deployment" => await WaitAsync<V1Deployment>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedDeploymentAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDeploymentAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    d => d.Status?.ObservedGeneration >= d.Metadata.Generation && (d.Status?.ReadyReplicas ?? 0) >= (d.Spec?.Replicas ?? 1) && (d.Status?.UpdatedReplicas ?? 0) >= (d.Spec?.Replicas ?? 1),
                    cancellationToken).ConfigureAwait(false),
                "StatefulSet" => await WaitAsync<V1StatefulSet>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedStatefulSetAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedStatefulSetAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    s => s.Status?.ObservedGeneration >= s.Metadata.Generation && (s.Status?.ReadyReplicas ?? 0) >= (s.Spec?.Replicas ?? 1),
                    cancellationToken).ConfigureAwait(false),
                _ => await WaitAsync<V1DaemonSet>(workload, reference, Left(),
                    async (ns, sel, ct) => await connection.Client.AppsV1.ListNamespacedDaemonSetAsync(ns, fieldSelector: sel, cancellationToken: ct).ConfigureAwait(false) is var l ? (l.Items.FirstOrDefault(), l.Metadata.ResourceVersion) : default,
                    (ns, sel, rv, onError, ct) => connection.Client.AppsV1.WatchListNamespacedDaemonSetAsync(ns, fieldSelector: sel, resourceVersion: rv, onError: onError, cancellationToken: ct),
                    d => d.Status?.ObservedGeneration >= d.Metadata.Generation && d.Status.NumberReady >= d.Status.DesiredNumberScheduled,
                    cancellationToken).ConfigureAwait(false),
            };
            Check(end, reference, timeout, "its pods were not ready");
        }
    }

    private async Task<WatchEnd> WaitAsync<T>(
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

    private static void Check(WatchEnd end, ResourceRef reference, TimeSpan timeout, string what)
    {
        switch (end)
        {
            case WatchEnd.Cancelled:
                throw new OperationCanceledException();
            case WatchEnd.TimedOut:
                throw new ClusterException(ClusterErrorKind.Timeout, "ManifestWaitTimeout",
                    $"The manifests were applied, but within {timeout} {what} ({reference}). Look at its pods and events, then apply again to keep waiting.", reference.Name);
        }
    }
}
