using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Storage;

/// <summary>storage.k8s.io/v1 classes and drivers, and the core volume kinds, as a 1.32 server serves them.</summary>
public static class StorageKinds
{
    public static readonly ResourceKind StorageClasses = new()
    {
        Group = "storage.k8s.io", Version = "v1", Plural = "storageclasses", Singular = "storageclass", Kind = "StorageClass",
        HasGeneration = false,
        Namespaced = false, ShortNames = ["sc"],
        Table = new StorageClassTable(),
    };

    public static readonly ResourceKind CsiDrivers = new()
    {
        Group = "storage.k8s.io", Version = "v1", Plural = "csidrivers", Singular = "csidriver", Kind = "CSIDriver",
        HasGeneration = false,
        Namespaced = false,
        Table = new CsiDriverTable(),
    };

    public static readonly ResourceKind PersistentVolumes = new()
    {
        Group = "", Version = "v1", Plural = "persistentvolumes", Singular = "persistentvolume", Kind = "PersistentVolume",
        HasGeneration = false,
        Namespaced = false, ShortNames = ["pv"],
        Subresources = [Subresource.Status("PersistentVolume")],
        Table = new PersistentVolumeTable(),
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["name"] = o => o.Name(),
        },
    };

    public static readonly ResourceKind PersistentVolumeClaims = new()
    {
        Group = "", Version = "v1", Plural = "persistentvolumeclaims", Singular = "persistentvolumeclaim", Kind = "PersistentVolumeClaim",
        HasGeneration = false,
        Namespaced = true, ShortNames = ["pvc"],
        Subresources = [Subresource.Status("PersistentVolumeClaim")],
        Table = new PersistentVolumeClaimTable(),
        SelectableFields = new Dictionary<string, Func<JsonObject, string>>
        {
            ["name"] = o => o.Name(),
        },
    };

    public static IReadOnlyList<ResourceKind> All { get; } = [PersistentVolumes, PersistentVolumeClaims, StorageClasses, CsiDrivers];

    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string ProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner";
    public const string BetaProvisionerAnnotation = "volume.beta.kubernetes.io/storage-provisioner";
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";
    public const string ProvisionedByAnnotation = "pv.kubernetes.io/provisioned-by";
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";
    public const string PvcProtectionFinalizer = "kubernetes.io/pvc-protection";
    public const string PvProtectionFinalizer = "kubernetes.io/pv-protection";
    public const string ProvisionerFinalizer = "external-provisioner.volume.kubernetes.io/finalizer";

    /// <summary>Emulator knob on a CSIDriver: the error its CreateVolume returns, so claims of its classes fail to provision.</summary>
    public const string CreateVolumeErrorAnnotation = "emulator.clustermanagement.io/create-volume-error";

    /// <summary>Emulator knob on a CSIDriver: "false" runs no csi-resizer beside it (a driver without EXPAND_VOLUME), so nothing expands its volumes.</summary>
    public const string ControllerExpansionAnnotation = "emulator.clustermanagement.io/controller-expansion";

    /// <summary>Emulator knob on a CSIDriver: the error its ControllerExpandVolume returns.</summary>
    public const string ExpandVolumeErrorAnnotation = "emulator.clustermanagement.io/expand-volume-error";

    /// <summary>The class a claim names; null when it names none (the default class is assigned at creation).</summary>
    public static string? ClassOf(JsonObject claim) => claim.StringAt("spec", "storageClassName") is { Length: > 0 } name ? name : null;

    private static readonly string[] ModeOrder = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
    private static readonly string[] ModeShortNames = ["RWO", "ROX", "RWX", "RWOP"];

    /// <summary>helper.GetAccessModesAsString: short names (RWO, ROX, RWX, RWOP) in that fixed order, comma-joined.</summary>
    public static string AccessModes(JsonNode? modes)
    {
        var present = (modes as JsonArray ?? []).Select(m => m?.GetValue<string>()).ToHashSet();
        return string.Join(",", ModeOrder.Select((mode, i) => present.Contains(mode) ? ModeShortNames[i] : null).OfType<string>());
    }
}
