using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Storage;
using k8s.Models;

namespace ClusterManagement.Engine.Storage;

/// <summary>SDK storage objects to the module's own types, with kubectl's defaults for unset fields.</summary>
internal static class StorageMapper
{
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    private const string BetaDefaultClassAnnotation = "storageclass.beta.kubernetes.io/is-default-class";
    public const string ProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner";
    private const string BetaProvisionerAnnotation = "volume.beta.kubernetes.io/storage-provisioner";
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";

    public static bool IsDefault(V1StorageClass sc) =>
        sc.Metadata.Annotations?.TryGetValue(DefaultClassAnnotation, out var v) == true && v == "true"
        || sc.Metadata.Annotations?.TryGetValue(BetaDefaultClassAnnotation, out var beta) == true && beta == "true";

    public static StorageClass ToStorageClass(V1StorageClass sc) => new()
    {
        Name = sc.Metadata.Name,
        Provisioner = sc.Provisioner,
        ReclaimPolicy = sc.ReclaimPolicy ?? "Delete",
        VolumeBindingMode = sc.VolumeBindingMode ?? "Immediate",
        AllowVolumeExpansion = sc.AllowVolumeExpansion == true,
        IsDefault = IsDefault(sc),
        Parameters = Dictionaries.Sorted(sc.Parameters),
        MountOptions = [.. sc.MountOptions ?? []],
        Created = Utc(sc.Metadata.CreationTimestamp),
        Age = IsoDuration.Format(Clock.AgeOf(sc.Metadata.CreationTimestamp)),
        Labels = Dictionaries.Sorted(sc.Metadata.Labels),
        ResourceVersion = sc.Metadata.ResourceVersion,
    };

    public static CsiDriver ToCsiDriver(V1CSIDriver driver, IEnumerable<V1StorageClass> classes) => new()
    {
        Name = driver.Metadata.Name,
        AttachRequired = driver.Spec?.AttachRequired ?? true,
        PodInfoOnMount = driver.Spec?.PodInfoOnMount ?? false,
        FsGroupPolicy = driver.Spec?.FsGroupPolicy,
        Modes = [.. driver.Spec?.VolumeLifecycleModes ?? []],
        StorageClasses = [.. classes.Where(c => c.Provisioner == driver.Metadata.Name).Select(c => c.Metadata.Name).Order(StringComparer.Ordinal)],
        Created = Utc(driver.Metadata.CreationTimestamp),
        Age = IsoDuration.Format(Clock.AgeOf(driver.Metadata.CreationTimestamp)),
    };

    /// <param name="volume">The bound volume, when known: its reclaim policy and driver are the ones that apply.</param>
    /// <param name="storageClass">The claim's class, when known: its policy and provisioner apply while pending.</param>
    public static CsiVolumeClaim ToClaim(V1PersistentVolumeClaim pvc, VolumeFacts? volume, V1StorageClass? storageClass)
    {
        var annotations = pvc.Metadata.Annotations;
        var bound = !string.IsNullOrEmpty(pvc.Spec?.VolumeName);
        var requested = pvc.Spec?.Resources?.Requests?.TryGetValue("storage", out var r) == true ? r.ToString() : "0";
        var capacity = bound && pvc.Status?.Capacity?.TryGetValue("storage", out var c) == true ? c.ToString() : null;
        return new CsiVolumeClaim
        {
            Name = pvc.Metadata.Name,
            Namespace = pvc.Metadata.NamespaceProperty,
            Status = pvc.Metadata.DeletionTimestamp is not null ? "Terminating" : pvc.Status?.Phase ?? "Pending",
            Volume = bound ? pvc.Spec!.VolumeName : null,
            Capacity = capacity,
            RequestedSize = requested,
            AccessModes = [.. pvc.Spec?.AccessModes ?? []],
            StorageClass = string.IsNullOrEmpty(pvc.Spec?.StorageClassName) ? null : pvc.Spec.StorageClassName,
            Driver = volume?.Driver ?? Annotation(annotations, ProvisionerAnnotation) ?? Annotation(annotations, BetaProvisionerAnnotation) ?? storageClass?.Provisioner,
            ReclaimPolicy = volume?.ReclaimPolicy ?? (bound ? null : storageClass?.ReclaimPolicy ?? (storageClass is null ? null : "Delete")),
            VolumeMode = pvc.Spec?.VolumeMode ?? "Filesystem",
            ResizeStatus = pvc.Status?.AllocatedResourceStatuses?.TryGetValue("storage", out var step) == true ? step : null,
            SelectedNode = Annotation(annotations, SelectedNodeAnnotation),
            Conditions = [.. (pvc.Status?.Conditions ?? []).Select(k => new ClaimCondition
            {
                Type = k.Type,
                Status = k.Status,
                Reason = string.IsNullOrEmpty(k.Reason) ? null : k.Reason,
                Message = string.IsNullOrEmpty(k.Message) ? null : k.Message,
                LastTransitionTime = k.LastTransitionTime is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null,
            })],
            Created = Utc(pvc.Metadata.CreationTimestamp),
            Age = IsoDuration.Format(Clock.AgeOf(pvc.Metadata.CreationTimestamp)),
            Labels = Dictionaries.Sorted(pvc.Metadata.Labels),
            Uid = pvc.Metadata.Uid,
            ResourceVersion = pvc.Metadata.ResourceVersion,
        };
    }

    public static CsiVolume ToVolume(V1PersistentVolume pv)
    {
        var claim = pv.Spec?.ClaimRef is { } claimRef ? $"{claimRef.NamespaceProperty}/{claimRef.Name}" : null;
        return new CsiVolume
        {
            Name = pv.Metadata.Name,
            Capacity = pv.Spec?.Capacity?.TryGetValue("storage", out var c) == true ? c.ToString() : "0",
            AccessModes = [.. pv.Spec?.AccessModes ?? []],
            ReclaimPolicy = pv.Spec?.PersistentVolumeReclaimPolicy ?? "Retain",
            Status = pv.Metadata.DeletionTimestamp is not null ? "Terminating" : pv.Status?.Phase ?? "Pending",
            Claim = claim,
            StorageClass = string.IsNullOrEmpty(pv.Spec?.StorageClassName) ? null : pv.Spec.StorageClassName,
            Driver = pv.Spec?.Csi?.Driver,
            VolumeHandle = pv.Spec?.Csi?.VolumeHandle,
            FsType = pv.Spec?.Csi?.FsType,
            VolumeMode = pv.Spec?.VolumeMode ?? "Filesystem",
            Reason = string.IsNullOrEmpty(pv.Status?.Reason) ? null : pv.Status.Reason,
            Attributes = Dictionaries.Sorted(pv.Spec?.Csi?.VolumeAttributes),
            Created = Utc(pv.Metadata.CreationTimestamp),
            Age = IsoDuration.Format(Clock.AgeOf(pv.Metadata.CreationTimestamp)),
            ResourceVersion = pv.Metadata.ResourceVersion,
        };
    }

    public static VolumeFacts FactsOf(V1PersistentVolume pv) =>
        new(pv.Spec?.PersistentVolumeReclaimPolicy ?? "Retain", pv.Spec?.Csi?.Driver);

    private static string? Annotation(IDictionary<string, string>? annotations, string key) =>
        annotations?.TryGetValue(key, out var value) == true && value.Length > 0 ? value : null;

    private static DateTime Utc(DateTime? time) => DateTime.SpecifyKind(time ?? DateTime.MinValue, DateTimeKind.Utc);
}

/// <summary>What a claim needs to know of its volume.</summary>
internal sealed record VolumeFacts(string ReclaimPolicy, string? Driver);
