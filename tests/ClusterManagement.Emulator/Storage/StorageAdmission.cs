using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Storage;

/// <summary>
/// What the apiserver does to storage objects before they are stored, in its order: defaulting and
/// the mutating plugins (DefaultStorageClass, StorageObjectInUseProtection), then validation (422,
/// pkg/apis/{core,storage}/validation), then the PersistentVolumeClaimResize plugin (403).
/// </summary>
public sealed class StorageAdmission : IAdmissionPlugin
{
    private static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Subresource is not null || request.Object is not { } obj)
        {
            return ValueTask.CompletedTask;
        }
        var kind = request.Kind;
        var creating = request.Operation == AdmissionOperation.Create;
        if (kind == StorageKinds.StorageClasses)
        {
            if (creating)
            {
                obj["reclaimPolicy"] ??= "Delete";
                obj["volumeBindingMode"] ??= "Immediate";
                ValidateClass(kind, obj);
            }
            else
            {
                ValidateClassUpdate(kind, obj, request.OldObject!);
            }
        }
        else if (kind == StorageKinds.CsiDrivers && creating)
        {
            var spec = obj.ObjectAt("spec");
            spec["attachRequired"] ??= true;
            spec["podInfoOnMount"] ??= false;
            spec["volumeLifecycleModes"] ??= new JsonArray("Persistent");
            spec["storageCapacity"] ??= false;
            spec["fsGroupPolicy"] ??= "ReadWriteOnceWithFSType";
            spec["requiresRepublish"] ??= false;
            spec["seLinuxMount"] ??= false;
        }
        else if (kind == StorageKinds.PersistentVolumeClaims)
        {
            if (creating)
            {
                DefaultClaim(obj, request.Store);
                ValidateClaim(kind, obj);
            }
            else if (request.Operation == AdmissionOperation.Update)
            {
                NormalizeQuantities(kind, obj);
                ValidateClaimUpdate(kind, obj, request.OldObject!);
                CheckResizeAllowed(kind, obj, request.OldObject!, request.Store);
            }
        }
        else if (kind == StorageKinds.PersistentVolumes && creating)
        {
            var spec = obj.ObjectAt("spec");
            spec["persistentVolumeReclaimPolicy"] ??= "Retain";
            spec["volumeMode"] ??= "Filesystem";
            AddFinalizer(obj, StorageKinds.PvProtectionFinalizer);
            obj["status"] = new JsonObject { ["phase"] = "Pending" };
            ValidateVolume(kind, obj);
        }
        else if (kind == StorageKinds.PersistentVolumes && request.Operation == AdmissionOperation.Update)
        {
            ValidateVolume(kind, obj);
        }
        return ValueTask.CompletedTask;
    }

    private static void ValidateClass(ResourceKind kind, JsonObject sc)
    {
        var errors = new List<(string, string, string)>();
        if (sc.StringAt("provisioner") is not { Length: > 0 })
        {
            errors.Add(("provisioner", "FieldValueRequired", "Required value"));
        }
        if (sc.StringAt("reclaimPolicy") is { } policy && policy is not ("Delete" or "Retain"))
        {
            errors.Add(("reclaimPolicy", "FieldValueNotSupported", $"Unsupported value: \"{policy}\": supported values: \"Delete\", \"Retain\""));
        }
        if (sc.StringAt("volumeBindingMode") is { } mode && mode is not ("Immediate" or "WaitForFirstConsumer"))
        {
            errors.Add(("volumeBindingMode", "FieldValueNotSupported", $"Unsupported value: \"{mode}\": supported values: \"Immediate\", \"WaitForFirstConsumer\""));
        }
        if (sc["parameters"] is JsonObject parameters && parameters.Any(p => p.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw Status.BadRequest("json: cannot unmarshal into Go struct field StorageClass.parameters of type string");
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(kind, sc.Name(), [.. errors]);
        }
    }

    private static void ValidateClassUpdate(ResourceKind kind, JsonObject sc, JsonObject old)
    {
        var errors = new List<(string, string, string)>();
        if (!JsonNode.DeepEquals(NonEmpty(sc["parameters"]), NonEmpty(old["parameters"])))
        {
            errors.Add(("parameters", "FieldValueForbidden", "Forbidden: updates to parameters are forbidden."));
        }
        if (sc.StringAt("provisioner") != old.StringAt("provisioner"))
        {
            errors.Add(("provisioner", "FieldValueForbidden", "Forbidden: updates to provisioner are forbidden."));
        }
        if ((sc.StringAt("reclaimPolicy") ?? old.StringAt("reclaimPolicy")) != old.StringAt("reclaimPolicy"))
        {
            errors.Add(("reclaimPolicy", "FieldValueForbidden", "Forbidden: updates to reclaimPolicy are forbidden."));
        }
        var mode = sc.StringAt("volumeBindingMode") ?? old.StringAt("volumeBindingMode");
        if (mode != old.StringAt("volumeBindingMode"))
        {
            errors.Add(("volumeBindingMode", "FieldValueInvalid", $"Invalid value: \"{mode}\": field is immutable"));
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(kind, sc.Name(), [.. errors]);
        }
        sc["reclaimPolicy"] = old.StringAt("reclaimPolicy");
        sc["volumeBindingMode"] = old.StringAt("volumeBindingMode");
    }

    private static JsonNode? NonEmpty(JsonNode? map) => map is JsonObject { Count: > 0 } ? map : null;

    /// <summary>DefaultStorageClass (the newest default class, as since 1.28) and StorageObjectInUseProtection; the StatefulSet controller's claims pass them too.</summary>
    internal static void DefaultClaim(JsonObject pvc, ObjectStore store)
    {
        var spec = pvc.ObjectAt("spec");
        if (!spec.ContainsKey("storageClassName") || spec["storageClassName"] is null)
        {
            var defaultClass = store.List(StorageKinds.StorageClasses).Items
                .Select(s => s.ToJson())
                .Where(StorageClassTable.IsDefault)
                .OrderByDescending(s => s.StringAt("metadata", "creationTimestamp"), StringComparer.Ordinal)
                .ThenBy(s => s.Name(), StringComparer.Ordinal)
                .FirstOrDefault();
            if (defaultClass is not null)
            {
                spec["storageClassName"] = defaultClass.Name();
            }
            else
            {
                spec.Remove("storageClassName");
            }
        }
        spec["volumeMode"] ??= "Filesystem";
        NormalizeQuantities(StorageKinds.PersistentVolumeClaims, pvc);
        AddFinalizer(pvc, StorageKinds.PvcProtectionFinalizer);
        pvc["status"] = new JsonObject { ["phase"] = "Pending" };
    }

    /// <summary>Sizes read back in canonical form, as the apiserver's quantity round trip prints them.</summary>
    private static void NormalizeQuantities(ResourceKind kind, JsonObject pvc)
    {
        Quantities.ReadList(kind, pvc.At("spec", "resources", "requests") as JsonObject);
        Quantities.ReadList(kind, pvc.At("spec", "resources", "limits") as JsonObject);
    }

    private static void ValidateClaim(ResourceKind kind, JsonObject pvc)
    {
        var errors = new List<(string, string, string)>();
        var modes = pvc.At("spec", "accessModes") as JsonArray ?? [];
        if (modes.Count == 0)
        {
            errors.Add(("spec.accessModes", "FieldValueRequired", "Required value: at least 1 access mode is required"));
        }
        foreach (var mode in modes.Select(m => m?.GetValue<string>() ?? "").Where(m => !AccessModes.Contains(m)))
        {
            errors.Add(("spec.accessModes", "FieldValueNotSupported",
                $"Unsupported value: \"{mode}\": supported values: {string.Join(", ", AccessModes.Select(a => $"\"{a}\""))}"));
        }
        var size = Quantities.Parse(pvc.StringAt("spec", "resources", "requests", "storage"));
        if (size is null)
        {
            errors.Add(("spec.resources[storage]", "FieldValueRequired", "Required value"));
        }
        else if (size <= 0)
        {
            errors.Add(("spec.resources[storage]", "FieldValueInvalid", $"Invalid value: \"{pvc.StringAt("spec", "resources", "requests", "storage")}\": must be greater than zero"));
        }
        if (pvc.StringAt("spec", "volumeMode") is { } volumeMode && volumeMode is not ("Filesystem" or "Block"))
        {
            errors.Add(("spec.volumeMode", "FieldValueNotSupported", $"Unsupported value: \"{volumeMode}\": supported values: \"Block\", \"Filesystem\""));
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(kind, pvc.Name(), [.. errors]);
        }
    }

    /// <summary>ValidatePersistentVolumeSpec's access modes and capacity: present, storage only, greater than zero.</summary>
    private static void ValidateVolume(ResourceKind kind, JsonObject volume)
    {
        var errors = new List<(string, string, string)>();
        if (volume.At("spec", "accessModes") is not JsonArray { Count: > 0 })
        {
            errors.Add(("spec.accessModes", "FieldValueRequired", "Required value"));
        }
        var capacity = Quantities.ReadList(kind, volume.At("spec", "capacity") as JsonObject);
        if (capacity.Count == 0)
        {
            errors.Add(("spec.capacity", "FieldValueRequired", "Required value"));
        }
        foreach (var (name, quantity) in capacity)
        {
            if (name != "storage")
            {
                errors.Add(("spec.capacity", "FieldValueNotSupported", $"Unsupported value: {ObjectValidation.GoQuote(name)}: supported values: \"storage\""));
            }
            if (quantity.Value <= 0)
            {
                errors.Add(ObjectValidation.Invalid($"spec.capacity[{name}]", quantity.Text, "must be greater than zero"));
            }
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(kind, volume.Name(), [.. errors]);
        }
    }

    /// <summary>ValidatePersistentVolumeClaimUpdate with RecoverVolumeExpansionFailure on (the 1.32 default).</summary>
    private static void ValidateClaimUpdate(ResourceKind kind, JsonObject pvc, JsonObject old)
    {
        var newSpec = pvc.ObjectAt("spec").DeepClone().AsObject();
        var oldSpec = old.ObjectAt("spec").DeepClone().AsObject();
        if (oldSpec.StringAt("volumeName") is not { Length: > 0 })
        {
            oldSpec["volumeName"] = newSpec["volumeName"]?.DeepClone();
        }
        var bound = pvc.StringAt("status", "phase") == "Bound";
        if (bound)
        {
            newSpec.ObjectAt("resources").ObjectAt("requests")["storage"] = oldSpec.At("resources", "requests", "storage")?.DeepClone();
        }
        newSpec.Remove("volumeAttributesClassName");
        oldSpec.Remove("volumeAttributesClassName");
        var errors = new List<(string, string, string)>();
        if (!JsonNode.DeepEquals(Compact(newSpec), Compact(oldSpec)))
        {
            errors.Add(("spec", "FieldValueForbidden", "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
        }
        var newSize = Quantities.Parse(pvc.StringAt("spec", "resources", "requests", "storage")) ?? 0;
        var oldSize = Quantities.Parse(old.StringAt("spec", "resources", "requests", "storage")) ?? 0;
        var statusSize = Quantities.Parse(old.StringAt("status", "capacity", "storage")) ?? 0;
        if (newSize < oldSize && newSize <= statusSize)
        {
            errors.Add(("spec.resources.requests.storage", "FieldValueForbidden", "Forbidden: field can not be less than status.capacity"));
        }
        if (errors.Count > 0)
        {
            throw Status.Invalid(kind, pvc.Name(), [.. errors]);
        }
    }

    private static JsonNode Compact(JsonObject spec)
    {
        foreach (var empty in spec.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            spec.Remove(empty);
        }
        return spec;
    }

    /// <summary>The PersistentVolumeClaimResize admission plugin: only bound claims of classes that allow expansion grow.</summary>
    private static void CheckResizeAllowed(ResourceKind kind, JsonObject pvc, JsonObject old, ObjectStore store)
    {
        var newSize = Quantities.Parse(pvc.StringAt("spec", "resources", "requests", "storage")) ?? 0;
        var oldSize = Quantities.Parse(old.StringAt("spec", "resources", "requests", "storage")) ?? 0;
        if (newSize <= oldSize)
        {
            return;
        }
        if (old.StringAt("status", "phase") != "Bound")
        {
            throw Status.Forbidden(kind, pvc.Name(), $"{kind.QualifiedResource} \"{pvc.Name()}\" is forbidden: Only bound persistent volume claims can be expanded");
        }
        var className = StorageKinds.ClassOf(pvc);
        var sc = className is null ? null : store.Get(StorageKinds.StorageClasses, null, className);
        if (sc is null || !sc.BoolAt("allowVolumeExpansion"))
        {
            throw Status.Forbidden(kind, pvc.Name(),
                $"{kind.QualifiedResource} \"{pvc.Name()}\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
        }
    }

    internal static void AddFinalizer(JsonObject obj, string finalizer)
    {
        var meta = obj.Metadata();
        if (meta["finalizers"] is not JsonArray finalizers)
        {
            meta["finalizers"] = finalizers = [];
        }
        if (!finalizers.Any(f => f?.GetValue<string>() == finalizer))
        {
            finalizers.Add(finalizer);
        }
    }
}
