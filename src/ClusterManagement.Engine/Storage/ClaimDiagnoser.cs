using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Events;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Events;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>Reads what <see cref="ClaimDiagnosis"/> needs about a claim, within <see cref="Diagnoses.ReadBudget"/>.</summary>
internal sealed class ClaimDiagnoser(ClusterConnection connection, IOperationLog log)
{
    /// <summary>Why the claim is not Bound; null when that could not be read (the reason is on the verbose stream).</summary>
    public Task<Diagnosis?> PendingAsync(string ns, string name, CancellationToken cancellationToken) =>
        Diagnoses.TryReadAsync(async ct => ClaimDiagnosis.Pending(await PendingFactsAsync(ns, name, ct).ConfigureAwait(false)), $"claim {ns}/{name}", log, cancellationToken);

    /// <summary>Why the claim's expansion has not finished; null when that could not be read.</summary>
    public Task<Diagnosis?> ResizeAsync(string ns, string name, CancellationToken cancellationToken) =>
        Diagnoses.TryReadAsync(async ct =>
        {
            var pvc = await ReadAsync(ns, name, ct).ConfigureAwait(false);
            var provisioner = await ProvisionerOfAsync(pvc, ct).ConfigureAwait(false);
            var registered = provisioner is not null && await CsiDriverService.FindAsync(connection, provisioner, ct).ConfigureAwait(false) is not null;
            var mounting = await new VolumeClaimService(connection, log).MountingPodsAsync(ns, name, scheduledOnly: true, ct).ConfigureAwait(false);
            return ClaimDiagnosis.Resize(new ResizingClaimFacts(pvc, provisioner, registered, mounting, await EventsAsync(pvc, ct).ConfigureAwait(false)));
        }, $"the expansion of claim {ns}/{name}", log, cancellationToken);

    private async Task<PendingClaimFacts> PendingFactsAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var pvc = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var classes = await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false);
        var sc = classes.FirstOrDefault(c => c.Metadata.Name == pvc.Spec?.StorageClassName);
        var registered = sc is not null && await CsiDriverService.FindAsync(connection, sc.Provisioner, cancellationToken).ConfigureAwait(false) is not null;
        return new PendingClaimFacts(pvc, sc, classes.Any(StorageMapper.IsDefault), registered, await EventsAsync(pvc, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The driver that serves the bound volume, else the class's provisioner.</summary>
    private async Task<string?> ProvisionerOfAsync(V1PersistentVolumeClaim pvc, CancellationToken cancellationToken)
    {
        if (pvc.Spec?.VolumeName is { Length: > 0 } volume && await VolumeService.FindFactsAsync(connection, volume, cancellationToken).ConfigureAwait(false) is { Driver: { } driver })
        {
            return driver;
        }
        var classes = await StorageClassService.ListRawAsync(connection, cancellationToken).ConfigureAwait(false);
        return classes.FirstOrDefault(c => c.Metadata.Name == pvc.Spec?.StorageClassName)?.Provisioner;
    }

    private Task<IReadOnlyList<ClusterEvent>> EventsAsync(V1PersistentVolumeClaim pvc, CancellationToken cancellationToken)
    {
        var subject = new EventSubject("PersistentVolumeClaim", pvc.Metadata.Name, pvc.Metadata.NamespaceProperty);
        return new EventService(connection, log).ListAsync(pvc.Metadata.NamespaceProperty, e => subject.IsAbout(e.InvolvedObject), cancellationToken);
    }

    private async Task<V1PersistentVolumeClaim> ReadAsync(string ns, string name, CancellationToken cancellationToken) =>
        await KubeApi.Call(
            ct => connection.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: ct),
            new ResourceRef("CsiVolumeClaim", name, ns),
            cancellationToken).ConfigureAwait(false);
}
