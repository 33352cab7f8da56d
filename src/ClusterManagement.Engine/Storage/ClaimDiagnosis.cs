using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Events;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>What the cluster shows about a claim that is not Bound: its class (null when it names none or the class is gone), and the claim's events.</summary>
internal sealed record PendingClaimFacts(V1PersistentVolumeClaim Claim, V1StorageClass? Class, bool DefaultClassExists, bool DriverRegistered, IReadOnlyList<ClusterEvent> Events);

/// <summary>What the cluster shows about a claim whose expansion has not finished: the pods that mount it (on a node) and the claim's events.</summary>
internal sealed record ResizingClaimFacts(V1PersistentVolumeClaim Claim, string? Provisioner, bool DriverRegistered, IReadOnlyList<string> MountingPods, IReadOnlyList<ClusterEvent> Events);

/// <summary>
/// Why a claim is not bound, or not grown, in the words of the controllers that act on it: the PV controller
/// (FailedBinding, WaitForFirstConsumer, ExternalProvisioning, ExternalExpanding), the external-provisioner
/// (ProvisioningFailed) and the external-resizer (Resizing, VolumeResizeFailed), and the claim's conditions.
/// </summary>
internal static class ClaimDiagnosis
{
    private const int EventsKept = 8;

    /// <summary>What the expand controller, the external-resizer and the kubelet report about an expansion; a claim's provisioning events say nothing of it.</summary>
    private static readonly HashSet<string> ResizeReasons = new(StringComparer.Ordinal)
    {
        "ExternalExpanding", "Resizing", "VolumeResizeFailed", "VolumeResizeSuccessful", "FileSystemResizeRequired", "FileSystemResizeFailed", "FileSystemResizeSuccessful",
    };

    public static Diagnosis Pending(PendingClaimFacts facts)
    {
        var pvc = facts.Claim;
        var (ns, name) = (pvc.Metadata.NamespaceProperty, pvc.Metadata.Name);
        var className = pvc.Spec?.StorageClassName;
        var affected = new[] { new DiagnosedObject("PersistentVolumeClaim", ns, name, pvc.Status?.Phase ?? "Pending") };
        var events = Recent(facts.Events);
        if (string.IsNullOrEmpty(className))
        {
            return facts.DefaultClassExists
                ? new Diagnosis(DiagnosisCause.Unknown, $"Claim {ns}/{name} names no storage class, so no driver provisions a volume for it: it binds only to a matching PersistentVolume an administrator creates.", affected, events)
                : new Diagnosis(DiagnosisCause.NoDefaultStorageClass,
                    $"Claim {ns}/{name} names no storage class and the cluster has no default class, so no driver provisions a volume for it: it binds only to a matching PersistentVolume an administrator creates. Create the claim with -StorageClass, or make a class the default.",
                    affected, events);
        }
        if (facts.Class is not { } sc)
        {
            return new Diagnosis(DiagnosisCause.StorageClassNotFound,
                $"StorageClass '{className}' does not exist, so nothing provisions a volume for claim {ns}/{name}: create the class, or remove the claim and create it with an existing class.", affected, events);
        }
        if (!facts.DriverRegistered)
        {
            return new Diagnosis(DiagnosisCause.NoCsiDriver,
                $"StorageClass '{className}' uses provisioner '{sc.Provisioner}', but no such CSI driver is registered (no CSIDriver object): the claim stays Pending until the driver is installed (Install-CsiDriver).",
                affected, [new("StorageClass", $"storageclass/{className}", "Provisioner", $"provisioner {sc.Provisioner} has no CSIDriver object"), .. events]);
        }
        if (sc.VolumeBindingMode == "WaitForFirstConsumer" && pvc.Metadata.Annotations?.ContainsKey(StorageMapper.SelectedNodeAnnotation) != true)
        {
            return new Diagnosis(DiagnosisCause.WaitingForFirstConsumer,
                $"StorageClass '{className}' binds WaitForFirstConsumer: the volume is provisioned and bound when the first pod that uses claim '{name}' is scheduled to a node.",
                affected, [new("StorageClass", $"storageclass/{className}", "VolumeBindingMode", "WaitForFirstConsumer, and no node is selected for the claim"), .. events]);
        }
        var failures = Recent(facts.Events.Where(e => e.Reason == "ProvisioningFailed"));
        if (failures.Count > 0)
        {
            return new Diagnosis(DiagnosisCause.ProvisioningFailed,
                $"Provisioner '{sc.Provisioner}' failed to create the volume of claim {ns}/{name}: {failures[^1].Message}", affected, failures);
        }
        return new Diagnosis(DiagnosisCause.Unknown,
            $"Provisioner '{sc.Provisioner}' has not created a volume for claim {ns}/{name} yet, and reports no failure.", affected, events);
    }

    public static Diagnosis Resize(ResizingClaimFacts facts)
    {
        var pvc = facts.Claim;
        var (ns, name) = (pvc.Metadata.NamespaceProperty, pvc.Metadata.Name);
        var requested = pvc.Spec?.Resources?.Requests?.TryGetValue("storage", out var r) == true ? r.ToString() : "?";
        var capacity = pvc.Status?.Capacity?.TryGetValue("storage", out var c) == true ? c.ToString() : "?";
        var step = pvc.Status?.AllocatedResourceStatuses?.TryGetValue("storage", out var s) == true ? s : null;
        var affected = new List<DiagnosedObject> { new("PersistentVolumeClaim", ns, name, $"{capacity} of {requested}{(step is null ? "" : $", {step}")}") };
        var evidence = new List<DiagnosisEvidence>();
        if (step is not null)
        {
            evidence.Add(new("ResizeStatus", $"persistentvolumeclaim/{name}", step, $"allocatedResourceStatuses.storage is {step}"));
        }
        evidence.AddRange((pvc.Status?.Conditions ?? []).Select(k =>
            new DiagnosisEvidence("Condition", $"persistentvolumeclaim/{name}", k.Type, string.IsNullOrEmpty(k.Message) ? $"{k.Type} is {k.Status}" : $"{k.Type} is {k.Status}: {k.Message}")));
        var driver = facts.Provisioner ?? "(none)";
        var resizeEvents = facts.Events.Where(e => ResizeReasons.Contains(e.Reason)).ToList();
        var failures = Recent(resizeEvents.Where(e => e.Reason == "VolumeResizeFailed"));
        string summary;
        if (failures.Count > 0)
        {
            evidence.AddRange(failures);
            summary = $"The resizer of driver '{driver}' failed to expand the volume of claim {ns}/{name}: {failures[^1].Message}";
        }
        else
        {
            evidence.AddRange(Recent(resizeEvents));
            var conditions = (pvc.Status?.Conditions ?? []).Select(k => k.Type).ToHashSet(StringComparer.Ordinal);
            if (step is "NodeResizePending" or "NodeResizeInProgress" || conditions.Contains("FileSystemResizePending"))
            {
                affected.AddRange(facts.MountingPods.Select(p => new DiagnosedObject("Pod", ns, p, "mounts the claim")));
                summary = facts.MountingPods.Count == 0
                    ? $"The volume of claim {ns}/{name} has grown; its file system grows when a pod mounts the claim (FileSystemResizePending)."
                    : $"The volume of claim {ns}/{name} has grown, but the kubelet has not finished growing its file system for pod {string.Join(", ", facts.MountingPods)} (FileSystemResizePending).";
            }
            else if (step is not null || conditions.Contains("Resizing"))
            {
                summary = $"Driver '{driver}' is expanding the volume of claim {ns}/{name} (Resizing) and has not finished.";
            }
            else if (!facts.DriverRegistered)
            {
                summary = $"No CSI driver '{driver}' is registered, so nothing expands the volume of claim {ns}/{name}.";
            }
            else
            {
                var handedOver = facts.Events.Any(e => e.Reason == "ExternalExpanding") ? " kube-controller-manager left it to an external resizer (ExternalExpanding), but" : "";
                summary = $"Nothing has begun to expand the volume of claim {ns}/{name}:{handedOver} no resizer of driver '{driver}' acted on it (no Resizing condition): the driver does not expand volumes, or its csi-resizer is not running.";
            }
        }
        return new Diagnosis(DiagnosisCause.ResizeIncomplete, summary, affected, evidence);
    }

    private static List<DiagnosisEvidence> Recent(IEnumerable<ClusterEvent> events) =>
        [.. events.OrderBy(e => e.LastSeen).TakeLast(EventsKept).Select(Diagnoses.FromEvent)];
}
