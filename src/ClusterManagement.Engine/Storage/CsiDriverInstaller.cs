using System.Diagnostics;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Manifests;
using ClusterManagement.Engine.Manifests;
using ClusterManagement.Storage;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>
/// Installs a CSI driver from its manifests, as a driver's install script does (apply everything),
/// then waits until the CSIDriver object exists and its controller and node workloads are ready.
/// </summary>
internal sealed class CsiDriverInstaller(ClusterConnection connection, IOperationLog log)
{
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
            0 => throw new ClusterException(ClusterErrors.CsiDriverNotInManifests, "The manifests contain no CSIDriver object, so the driver's name is unknown: name it with -Name."),
            _ => throw new ClusterException(ClusterErrors.CsiDriverAmbiguous, $"The manifests contain several CSIDriver objects ({string.Join(", ", declared)}): name the one to wait for with -Name."),
        };
    }

    /// <summary>Waits for the driver's CSIDriver object, then for the workloads among <paramref name="applied"/>, within one overall timeout.</summary>
    public async Task<CsiDriver> WaitReadyAsync(string driver, IReadOnlyList<AppliedObject> applied, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan Left() => timeout - clock.Elapsed > TimeSpan.Zero ? timeout - clock.Elapsed : TimeSpan.Zero;
        log.Progress(new OperationProgress(WorkloadReadiness.ProgressId, $"Installing CSI driver {driver}", "Waiting for the CSIDriver object"));
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
        WorkloadReadiness.Check(registered.End, driverRef, timeout, "the CSIDriver object was not registered");
        await new WorkloadReadiness(connection, log).WaitAsync(applied, Left(), $"Installing CSI driver {driver}", cancellationToken).ConfigureAwait(false);
        log.Progress(new OperationProgress(WorkloadReadiness.ProgressId, $"Installing CSI driver {driver}", "Ready", Completed: true));
        return await new CsiDriverService(connection).GetAsync(driver, cancellationToken).ConfigureAwait(false);
    }
}
