using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Storage;

/// <summary>
/// A sandbox's storage: the CSI host-path driver and its default class "standard" (expandable,
/// Immediate binding), and with <see cref="EmulatorOptions.SeedClaims"/> that many bound claims
/// and their volumes across ten namespaces, for benchmarks.
/// </summary>
public sealed class StorageSeeder : IEmulatorSeeder
{
    public const string Driver = "hostpath.csi.k8s.io";

    public void Seed(EmulatorContext context)
    {
        var store = context.Store;
        var born = context.Time.GetUtcNow() - TimeSpan.FromDays(45);
        store.Create(StorageKinds.CsiDrivers, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = Driver, ["creationTimestamp"] = Timestamps.Format(born) },
            ["spec"] = new JsonObject
            {
                ["attachRequired"] = false,
                ["podInfoOnMount"] = true,
                ["fsGroupPolicy"] = "File",
                ["volumeLifecycleModes"] = new JsonArray("Persistent", "Ephemeral"),
                ["storageCapacity"] = false,
                ["requiresRepublish"] = false,
                ["seLinuxMount"] = false,
            },
        });
        var standard = store.Create(StorageKinds.StorageClasses, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "standard",
                ["creationTimestamp"] = Timestamps.Format(born),
                ["annotations"] = new JsonObject { [StorageKinds.DefaultClassAnnotation] = "true" },
            },
            ["provisioner"] = Driver,
            ["reclaimPolicy"] = "Delete",
            ["volumeBindingMode"] = "Immediate",
            ["allowVolumeExpansion"] = true,
        });
        SeedClaims(context, standard, born);
    }

    private static void SeedClaims(EmulatorContext context, JsonObject sc, DateTimeOffset born)
    {
        var count = context.Options.SeedClaims;
        if (count <= 0)
        {
            return;
        }
        var store = context.Store;
        var namespaces = Enumerable.Range(1, 10).Select(i => $"bench-{i:00}").ToArray();
        // Other seeders (sample apps) may use the same bench namespaces.
        foreach (var ns in namespaces.Where(n => store.Find(CoreKinds.Namespaces, null, n) is null))
        {
            store.Create(CoreKinds.Namespaces, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = ns, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns } },
                ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            });
        }
        var random = new Random(7);
        for (var i = 0; i < count; i++)
        {
            var size = $"{1 + random.Next(100)}Gi";
            var claim = store.Create(StorageKinds.PersistentVolumeClaims, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"data-{i:00000}",
                    ["namespace"] = namespaces[i % namespaces.Length],
                    ["creationTimestamp"] = Timestamps.Format(born + TimeSpan.FromMinutes(i)),
                    ["finalizers"] = new JsonArray(StorageKinds.PvcProtectionFinalizer),
                    ["annotations"] = new JsonObject
                    {
                        [StorageKinds.ProvisionerAnnotation] = Driver,
                        [StorageKinds.BetaProvisionerAnnotation] = Driver,
                        [StorageKinds.BindCompletedAnnotation] = "yes",
                        [StorageKinds.BoundByControllerAnnotation] = "yes",
                    },
                },
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
                    ["storageClassName"] = sc.Name(),
                    ["volumeMode"] = "Filesystem",
                },
                ["status"] = new JsonObject { ["phase"] = "Pending" },
            });
            var volumeName = $"pvc-{claim.StringAt("metadata", "uid")}";
            var volume = CsiProvisionerController.NewVolume(claim, sc, volumeName, size, born);
            CsiProvisionerController.SetPhase(volume, "Bound", born);
            store.Create(StorageKinds.PersistentVolumes, volume);
            store.Mutate(StorageKinds.PersistentVolumeClaims, claim.Namespace(), claim.Name(), c =>
            {
                c.ObjectAt("spec")["volumeName"] = volumeName;
                c["status"] = new JsonObject
                {
                    ["phase"] = "Bound",
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["capacity"] = new JsonObject { ["storage"] = size },
                };
                return true;
            });
        }
    }
}
