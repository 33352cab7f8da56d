using System.Text.Json.Nodes;
using System.Threading.Channels;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Storage;

/// <summary>
/// Plays the storage side of kube-controller-manager and a CSI driver's sidecars: the PV controller
/// (provisioner annotations, binding both ways, Released and reclaim on claim deletion), the
/// external-provisioner (PV pvc-&lt;uid&gt; for classes whose provisioner has a CSIDriver, selected-node
/// for WaitForFirstConsumer), the scheduler's selected-node annotation for pods on a node,
/// pvc-protection, and the external-resizer and kubelet resize steps. Work is queued per object
/// from watches, so idle claims cost nothing.
/// </summary>
public sealed class CsiProvisionerController : IEmulatorController
{
    private const string FileSystemResizeMessage = "Waiting for user to (re-)start a pod to finish file system resize of volume on node.";

    private const string PvController = "persistentvolume-controller";

    /// <summary>Time between resize steps, so clients can watch each condition go by.</summary>
    private static readonly TimeSpan ResizeStep = TimeSpan.FromMilliseconds(300);

    /// <summary>When a sidecar tries a failed CreateVolume or ControllerExpandVolume again (the real ones back off from 1 s to 5 min).</summary>
    private static readonly TimeSpan SidecarRetry = TimeSpan.FromSeconds(5);

    private sealed record Work(bool IsClaim, string? Namespace, string Name);

    private readonly PriorityQueue<Work, DateTimeOffset> _queue = new();

    public string Name => "csi-provisioner";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var merged = Channel.CreateUnbounded<WatchEvent>();
        ResourceKind[] watched = [StorageKinds.PersistentVolumeClaims, StorageKinds.PersistentVolumes, CoreKinds.Pods, StorageKinds.StorageClasses, StorageKinds.CsiDrivers];
        var subscriptions = watched.Select(k => store.Watch(k)).ToList();
        try
        {
            var pumps = subscriptions.Select(s => PumpAsync(s, merged.Writer, cancellationToken)).ToList();
            var now = context.Time.GetUtcNow();
            foreach (var claim in store.List(StorageKinds.PersistentVolumeClaims).Items)
            {
                _queue.Enqueue(new Work(true, claim.Namespace, claim.Name), now);
            }
            foreach (var volume in store.List(StorageKinds.PersistentVolumes).Items)
            {
                _queue.Enqueue(new Work(false, null, volume.Name), now);
            }
            while (true)
            {
                now = context.Time.GetUtcNow();
                while (merged.Reader.TryRead(out var e))
                {
                    Enqueue(e, store, now);
                }
                if (_queue.TryPeek(out var work, out var due) && due <= now)
                {
                    _queue.Dequeue();
                    Reconcile(work, context);
                    continue;
                }
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timer = Task.Delay(_queue.Count > 0 ? due - now : Timeout.InfiniteTimeSpan, context.Time, wake.Token);
                await Task.WhenAny(merged.Reader.WaitToReadAsync(wake.Token).AsTask(), timer);
                await wake.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    private static async Task PumpAsync(WatchSubscription subscription, ChannelWriter<WatchEvent> writer, CancellationToken cancellationToken)
    {
        await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken))
        {
            writer.TryWrite(e);
        }
    }

    private void Enqueue(WatchEvent e, ObjectStore store, DateTimeOffset now)
    {
        var kind = e.Object.Kind;
        if (kind == StorageKinds.PersistentVolumeClaims)
        {
            var claim = e.Object.ToJson();
            _queue.Enqueue(new Work(true, e.Object.Namespace, e.Object.Name), now);
            if (claim.StringAt("spec", "volumeName") is { Length: > 0 } volume)
            {
                _queue.Enqueue(new Work(false, null, volume), now);
            }
        }
        else if (kind == StorageKinds.PersistentVolumes)
        {
            _queue.Enqueue(new Work(false, null, e.Object.Name), now);
            if (e.Object.ToJson().At("spec", "claimRef") is JsonObject claimRef)
            {
                _queue.Enqueue(new Work(true, claimRef.StringAt("namespace"), claimRef.StringAt("name") ?? ""), now);
            }
        }
        else if (kind == CoreKinds.Pods)
        {
            foreach (var claimName in ClaimsOf(e.Object.ToJson()))
            {
                _queue.Enqueue(new Work(true, e.Object.Namespace, claimName), now);
            }
        }
        else
        {
            // A class or driver appeared or changed: pending claims may now be provisionable.
            foreach (var claim in store.List(StorageKinds.PersistentVolumeClaims).Items)
            {
                if (claim.ToJson().StringAt("spec", "volumeName") is not { Length: > 0 })
                {
                    _queue.Enqueue(new Work(true, claim.Namespace, claim.Name), now);
                }
            }
        }
    }

    private void Reconcile(Work work, EmulatorContext context)
    {
        try
        {
            if (work.IsClaim)
            {
                ReconcileClaim(work, context);
            }
            else
            {
                ReconcileVolume(work.Name, context);
            }
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Deleted or created concurrently: the watch event that follows queues it again.
        }
    }

    private void ReconcileClaim(Work work, EmulatorContext context)
    {
        var store = context.Store;
        if (store.Get(StorageKinds.PersistentVolumeClaims, work.Namespace, work.Name) is not { } claim)
        {
            return;
        }
        if (claim.At("metadata", "deletionTimestamp") is not null)
        {
            if (!UsingPods(claim, store).Any())
            {
                store.Mutate(StorageKinds.PersistentVolumeClaims, work.Namespace, work.Name, c => RemoveFinalizer(c, StorageKinds.PvcProtectionFinalizer));
            }
            return;
        }
        if (claim.StringAt("status", "phase") == "Bound")
        {
            Expand(claim, context);
        }
        else if (claim.StringAt("spec", "volumeName") is { Length: > 0 } volumeName)
        {
            BindNamedVolume(claim, volumeName, context);
        }
        else if (!BindAvailableVolume(claim, context))
        {
            Provision(claim, context);
        }
    }

    /// <summary>A claim that names its volume (pre-bound) binds to it once the volume is free for it and fits; until then it stays Pending.</summary>
    private static void BindNamedVolume(JsonObject claim, string volumeName, EmulatorContext context)
    {
        if (context.Store.Get(StorageKinds.PersistentVolumes, null, volumeName) is { } volume && IsFreeFor(volume, claim) && Fits(volume, claim))
        {
            Bind(volume, claim, context);
        }
    }

    /// <summary>
    /// findBestMatchForClaim: before anything is provisioned, the smallest free volume of the claim's class
    /// that fits its size, access modes and volume mode is bound to it (for WaitForFirstConsumer classes
    /// only once a pod using the claim is on a node). A claim with a selector is left to provisioning.
    /// </summary>
    private static bool BindAvailableVolume(JsonObject claim, EmulatorContext context)
    {
        var store = context.Store;
        if (claim.At("spec", "selector") is not null)
        {
            return false;
        }
        if (StorageKinds.ClassOf(claim) is { } className
            && store.Get(StorageKinds.StorageClasses, null, className)?.StringAt("volumeBindingMode") == "WaitForFirstConsumer"
            && !UsingPods(claim, store).Any(p => p.StringAt("spec", "nodeName") is { Length: > 0 }))
        {
            return false;
        }
        var volume = store.List(StorageKinds.PersistentVolumes).Items
            .Select(v => v.ToJson())
            .Where(v => v.At("metadata", "deletionTimestamp") is null && v.StringAt("status", "phase") == "Available" && IsFreeFor(v, claim) && Fits(v, claim))
            .OrderBy(v => Quantities.Parse(v.StringAt("spec", "capacity", "storage")) ?? 0)
            .ThenBy(v => v.Name(), StringComparer.Ordinal)
            .FirstOrDefault();
        if (volume is null)
        {
            return false;
        }
        Bind(volume, claim, context);
        return true;
    }

    /// <summary>Unclaimed, or reserved for this claim by name (and by uid once bound).</summary>
    private static bool IsFreeFor(JsonObject volume, JsonObject claim) =>
        volume.At("spec", "claimRef") is not JsonObject claimRef
        || (claimRef.StringAt("name") == claim.Name() && claimRef.StringAt("namespace") == claim.Namespace()
            && (claimRef.StringAt("uid") is not { Length: > 0 } uid || uid == claim.StringAt("metadata", "uid")));

    private static bool Fits(JsonObject volume, JsonObject claim)
    {
        var volumeModes = (volume.At("spec", "accessModes") as JsonArray ?? []).Select(m => m?.GetValue<string>()).ToHashSet();
        return (volume.StringAt("spec", "storageClassName") ?? "") == (StorageKinds.ClassOf(claim) ?? "")
            && (volume.StringAt("spec", "volumeMode") ?? "Filesystem") == (claim.StringAt("spec", "volumeMode") ?? "Filesystem")
            && (claim.At("spec", "accessModes") as JsonArray ?? []).All(m => volumeModes.Contains(m?.GetValue<string>()))
            && (Quantities.Parse(volume.StringAt("spec", "capacity", "storage")) ?? 0) >= (Quantities.Parse(claim.StringAt("spec", "resources", "requests", "storage")) ?? 0);
    }

    /// <summary>bindVolumeToClaim then bindClaimToVolume: the side the controller filled in gets bound-by-controller.</summary>
    private static void Bind(JsonObject volume, JsonObject claim, EmulatorContext context)
    {
        var store = context.Store;
        var now = context.Time.GetUtcNow();
        var claimUid = claim.StringAt("metadata", "uid");
        store.Mutate(StorageKinds.PersistentVolumes, null, volume.Name(), v =>
        {
            if (v.At("spec", "claimRef") is null)
            {
                v.Metadata().ObjectAt("annotations")[StorageKinds.BoundByControllerAnnotation] = "yes";
            }
            v.ObjectAt("spec")["claimRef"] = new JsonObject
            {
                ["kind"] = "PersistentVolumeClaim",
                ["namespace"] = claim.Namespace(),
                ["name"] = claim.Name(),
                ["uid"] = claimUid,
                ["apiVersion"] = "v1",
                ["resourceVersion"] = claim.StringAt("metadata", "resourceVersion"),
            };
            SetPhase(v, "Bound", now);
            return true;
        });
        store.Mutate(StorageKinds.PersistentVolumeClaims, claim.Namespace(), claim.Name(), c =>
        {
            if (c.StringAt("metadata", "uid") != claimUid)
            {
                return false;
            }
            var annotations = c.Metadata().ObjectAt("annotations");
            if (c.StringAt("spec", "volumeName") is not { Length: > 0 })
            {
                c.ObjectAt("spec")["volumeName"] = volume.Name();
                annotations[StorageKinds.BoundByControllerAnnotation] = "yes";
            }
            annotations[StorageKinds.BindCompletedAnnotation] = "yes";
            c["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = volume.At("spec", "accessModes")?.DeepClone(),
                ["capacity"] = volume.At("spec", "capacity")?.DeepClone(),
            };
            return true;
        });
    }

    /// <summary>The phase, with lastPhaseTransitionTime as the API server stamps it on every change of phase.</summary>
    internal static void SetPhase(JsonObject volume, string phase, DateTimeOffset now, string? message = null)
    {
        var status = volume.ObjectAt("status");
        if (status.StringAt("phase") != phase)
        {
            status["lastPhaseTransitionTime"] = Timestamps.Format(now);
        }
        status["phase"] = phase;
        if (message is null)
        {
            status.Remove("message");
        }
        else
        {
            status["message"] = message;
        }
    }

    /// <summary>
    /// syncUnboundClaim's events for a claim no volume was found for (FailedBinding without a class, WaitForFirstConsumer
    /// until a pod is on a node, ExternalProvisioning otherwise, ProvisioningFailed for a class that does not exist),
    /// then the external-provisioner (Provisioning, ProvisioningFailed with the driver's error, ProvisioningSucceeded).
    /// </summary>
    private void Provision(JsonObject claim, EmulatorContext context)
    {
        var store = context.Store;
        var (ns, name) = (claim.Namespace(), claim.Name());
        if (StorageKinds.ClassOf(claim) is not { } className)
        {
            context.Normal(claim, "FailedBinding", "no persistent volumes available for this claim and no storage class is set", PvController);
            return;
        }
        if (store.Get(StorageKinds.StorageClasses, null, className) is not { } sc)
        {
            context.Warning(claim, "ProvisioningFailed", $"storageclass.storage.k8s.io \"{className}\" not found", PvController);
            return;
        }
        var provisioner = sc.StringAt("provisioner") ?? "";
        if (sc.StringAt("volumeBindingMode") == "WaitForFirstConsumer"
            && claim.StringAt("metadata", "annotations", StorageKinds.SelectedNodeAnnotation) is null
            && !UsingPods(claim, store).Any(p => p.StringAt("spec", "nodeName") is { Length: > 0 }))
        {
            context.Normal(claim, "WaitForFirstConsumer", "waiting for first consumer to be created before binding", PvController);
        }
        else
        {
            context.Normal(claim, "ExternalProvisioning",
                $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                PvController);
        }
        if (claim.StringAt("metadata", "annotations", StorageKinds.ProvisionerAnnotation) != provisioner)
        {
            claim = store.Mutate(StorageKinds.PersistentVolumeClaims, ns, name, c =>
            {
                var annotations = c.Metadata().ObjectAt("annotations");
                annotations[StorageKinds.ProvisionerAnnotation] = provisioner;
                annotations[StorageKinds.BetaProvisionerAnnotation] = provisioner;
                return true;
            });
        }
        if (store.Find(StorageKinds.CsiDrivers, null, provisioner) is not { } driver)
        {
            // No driver registered: the external-provisioner that would act is not running.
            return;
        }
        if (sc.StringAt("volumeBindingMode") == "WaitForFirstConsumer"
            && claim.StringAt("metadata", "annotations", StorageKinds.SelectedNodeAnnotation) is null)
        {
            if (UsingPods(claim, store).Select(p => p.StringAt("spec", "nodeName")).FirstOrDefault(n => n is { Length: > 0 }) is not { } node)
            {
                return;
            }
            store.Mutate(StorageKinds.PersistentVolumeClaims, ns, name, c =>
            {
                c.Metadata().ObjectAt("annotations")[StorageKinds.SelectedNodeAnnotation] = node;
                return true;
            });
        }
        var ready = (Timestamps.Parse(claim.StringAt("metadata", "creationTimestamp")) ?? context.Time.GetUtcNow()) + context.Settings.ProvisioningDelay;
        if (ready > context.Time.GetUtcNow())
        {
            _queue.Enqueue(new Work(true, ns, name), ready);
            return;
        }
        var sidecar = ProvisionerComponent(provisioner);
        context.Normal(claim, "Provisioning", $"External provisioner is provisioning volume for claim \"{ns}/{name}\"", sidecar);
        if (driver.ToJson().StringAt("metadata", "annotations", StorageKinds.CreateVolumeErrorAnnotation) is { } error)
        {
            context.Warning(claim, "ProvisioningFailed", $"failed to provision volume with StorageClass \"{className}\": {error}", sidecar);
            _queue.Enqueue(new Work(true, ns, name), context.Time.GetUtcNow() + SidecarRetry);
            return;
        }
        var uid = claim.StringAt("metadata", "uid")!;
        var volumeName = $"pvc-{uid}";
        var size = claim.StringAt("spec", "resources", "requests", "storage") ?? "0";
        if (store.Find(StorageKinds.PersistentVolumes, null, volumeName) is null)
        {
            store.Create(StorageKinds.PersistentVolumes, NewVolume(claim, sc, volumeName, size, context.Time.GetUtcNow()));
        }
        var accessModes = claim.At("spec", "accessModes")?.DeepClone();
        store.Mutate(StorageKinds.PersistentVolumeClaims, ns, name, c =>
        {
            if (c.StringAt("metadata", "uid") != uid || c.StringAt("spec", "volumeName") is { Length: > 0 })
            {
                return false;
            }
            c.ObjectAt("spec")["volumeName"] = volumeName;
            var annotations = c.Metadata().ObjectAt("annotations");
            annotations[StorageKinds.BindCompletedAnnotation] = "yes";
            annotations[StorageKinds.BoundByControllerAnnotation] = "yes";
            c["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = accessModes,
                ["capacity"] = new JsonObject { ["storage"] = size },
            };
            return true;
        });
        var now = context.Time.GetUtcNow();
        store.Mutate(StorageKinds.PersistentVolumes, null, volumeName, v =>
        {
            SetPhase(v, "Bound", now);
            return true;
        });
        context.Normal(claim, "ProvisioningSucceeded", $"Successfully provisioned volume {volumeName}", sidecar);
    }

    /// <summary>The external-provisioner's event source: driver, pod and a per-process id joined by underscores.</summary>
    private static string ProvisionerComponent(string provisioner) => $"{provisioner}_csi-provisioner-0_4f6c1a52-8a0e-4d8e-9f5e-2b1d7c3e9a10";

    /// <summary>What the external-provisioner creates: claimRef pre-bound, reclaim policy and mount options from the class.</summary>
    internal static JsonObject NewVolume(JsonObject claim, JsonObject sc, string volumeName, string size, DateTimeOffset now)
    {
        var provisioner = sc.StringAt("provisioner") ?? "";
        var parameters = sc["parameters"] as JsonObject ?? [];
        var attributes = new JsonObject();
        foreach (var (key, value) in parameters.Where(p => !p.Key.StartsWith("csi.storage.k8s.io/", StringComparison.Ordinal)))
        {
            attributes[key] = value?.DeepClone();
        }
        attributes["storage.kubernetes.io/csiProvisionerIdentity"] = $"{now.ToUnixTimeMilliseconds()}-8081-{provisioner}";
        var fsType = parameters.StringAt("csi.storage.k8s.io/fstype") ?? parameters.StringAt("fs_type") ?? "ext4";
        var spec = new JsonObject
        {
            ["accessModes"] = claim.At("spec", "accessModes")?.DeepClone(),
            ["capacity"] = new JsonObject { ["storage"] = size },
            ["claimRef"] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolumeClaim",
                ["name"] = claim.Name(),
                ["namespace"] = claim.Namespace(),
                ["resourceVersion"] = claim.StringAt("metadata", "resourceVersion"),
                ["uid"] = claim.StringAt("metadata", "uid"),
            },
            ["csi"] = new JsonObject
            {
                ["driver"] = provisioner,
                ["fsType"] = fsType,
                ["volumeAttributes"] = attributes,
                ["volumeHandle"] = Guid.NewGuid().ToString(),
            },
            ["persistentVolumeReclaimPolicy"] = sc.StringAt("reclaimPolicy") ?? "Delete",
            ["storageClassName"] = sc.Name(),
            ["volumeMode"] = claim.StringAt("spec", "volumeMode") ?? "Filesystem",
        };
        if (sc["mountOptions"] is JsonArray mountOptions)
        {
            spec["mountOptions"] = mountOptions.DeepClone();
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = volumeName,
                ["annotations"] = new JsonObject
                {
                    [StorageKinds.ProvisionedByAnnotation] = provisioner,
                    ["volume.kubernetes.io/provisioner-deletion-secret-name"] = "",
                    ["volume.kubernetes.io/provisioner-deletion-secret-namespace"] = "",
                },
                // The external-provisioner keeps its finalizer only where it must delete the backing volume (HonorPVReclaimPolicy).
                ["finalizers"] = spec.StringAt("persistentVolumeReclaimPolicy") == "Delete"
                    ? new JsonArray(StorageKinds.ProvisionerFinalizer, StorageKinds.PvProtectionFinalizer)
                    : new JsonArray(StorageKinds.PvProtectionFinalizer),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending", ["lastPhaseTransitionTime"] = Timestamps.Format(now) },
        };
    }

    /// <summary>
    /// The expansion status flow: ControllerResizeInProgress (condition Resizing), the PV grows,
    /// NodeResizePending (condition FileSystemResizePending) until a running pod mounts the claim
    /// (block volumes need no file system resize), then status.capacity takes the new size.
    /// </summary>
    private void Expand(JsonObject claim, EmulatorContext context)
    {
        var store = context.Store;
        var (ns, name) = (claim.Namespace(), claim.Name());
        var requestText = claim.StringAt("spec", "resources", "requests", "storage") ?? "0";
        var request = Quantities.Parse(requestText) ?? 0;
        var capacity = Quantities.Parse(claim.StringAt("status", "capacity", "storage")) ?? 0;
        if (request <= capacity)
        {
            return;
        }
        var now = context.Time.GetUtcNow();
        var step = claim.StringAt("status", "allocatedResourceStatuses", "storage");
        var allocated = Quantities.Parse(claim.StringAt("status", "allocatedResources", "storage")) ?? 0;
        var volumeName = claim.StringAt("spec", "volumeName")!;
        var driverName = store.Get(StorageKinds.PersistentVolumes, null, volumeName)?.StringAt("spec", "csi", "driver") ?? "";
        var driver = store.Find(StorageKinds.CsiDrivers, null, driverName)?.ToJson();
        var resizer = $"external-resizer {driverName}";
        if (step is null)
        {
            // kube-controller-manager's expand controller hands CSI volumes to the driver's csi-resizer.
            context.Normal(claim, "ExternalExpanding", "waiting for an external controller to expand this PVC", "volume_expand");
            if (driver is null || driver.StringAt("metadata", "annotations", StorageKinds.ControllerExpansionAnnotation) == "false")
            {
                return;
            }
            context.Normal(claim, "Resizing", $"External resizer is resizing volume {volumeName}", resizer);
        }
        if (step is null || allocated < request)
        {
            store.Mutate(StorageKinds.PersistentVolumeClaims, ns, name, c =>
            {
                var status = c.ObjectAt("status");
                status["allocatedResources"] = new JsonObject { ["storage"] = requestText };
                status["allocatedResourceStatuses"] = new JsonObject { ["storage"] = "ControllerResizeInProgress" };
                SetCondition(status, "Resizing", null, now);
                return true;
            });
            _queue.Enqueue(new Work(true, ns, name), now + ResizeStep);
        }
        else if (step == "ControllerResizeInProgress")
        {
            if (driver?.StringAt("metadata", "annotations", StorageKinds.ExpandVolumeErrorAnnotation) is { } error)
            {
                context.Warning(claim, "VolumeResizeFailed", $"resize volume \"{volumeName}\" by resizer \"{driverName}\" failed: {error}", resizer);
                _queue.Enqueue(new Work(true, ns, name), now + SidecarRetry);
                return;
            }
            store.Mutate(StorageKinds.PersistentVolumes, null, volumeName, v =>
            {
                v.ObjectAt("spec").ObjectAt("capacity")["storage"] = requestText;
                return true;
            });
            var block = claim.StringAt("spec", "volumeMode") == "Block";
            store.Mutate(StorageKinds.PersistentVolumeClaims, ns, name, c =>
            {
                var status = c.ObjectAt("status");
                if (block)
                {
                    Finish(status, requestText);
                }
                else
                {
                    status["allocatedResourceStatuses"] = new JsonObject { ["storage"] = "NodeResizePending" };
                    SetCondition(status, "FileSystemResizePending", FileSystemResizeMessage, now);
                }
                return true;
            });
            if (block)
            {
                context.Normal(claim, "VolumeResizeSuccessful", "Resize volume succeeded", resizer);
            }
            else
            {
                context.Normal(claim, "FileSystemResizeRequired", "Require file system resize of volume on node", resizer);
            }
            _queue.Enqueue(new Work(true, ns, name), now + ResizeStep);
        }
        else if (step == "NodeResizePending" && UsingPods(claim, store).Any(p => p.StringAt("status", "phase") == "Running"))
        {
            store.Mutate(StorageKinds.PersistentVolumeClaims, ns, name, c =>
            {
                Finish(c.ObjectAt("status"), requestText);
                return true;
            });
        }
    }

    private static void Finish(JsonObject status, string size)
    {
        status["capacity"] = new JsonObject { ["storage"] = size };
        status.Remove("allocatedResourceStatuses");
        status.Remove("conditions");
    }

    private static void SetCondition(JsonObject status, string type, string? message, DateTimeOffset now)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = Timestamps.Format(now),
        };
        if (message is not null)
        {
            condition["message"] = message;
        }
        status["conditions"] = new JsonArray(condition);
    }

    /// <summary>
    /// syncVolume, the pv-protection controller and the external-provisioner's deleter: a deleted volume loses
    /// its finalizers once no claim is bound to it; an unclaimed (or pre-bound, not yet bound) volume is
    /// Available; one whose claim is gone is Released, then deleted (dynamically provisioned, Delete), Failed
    /// (static, Delete: no plugin here can delete it) or kept for an administrator (Retain).
    /// </summary>
    private static void ReconcileVolume(string name, EmulatorContext context)
    {
        if (context.Store.Get(StorageKinds.PersistentVolumes, null, name) is not { } volume)
        {
            return;
        }
        volume = SyncPhase(volume, context);
        if (volume.At("metadata", "deletionTimestamp") is not null && volume.StringAt("status", "phase") != "Bound")
        {
            context.Store.Mutate(StorageKinds.PersistentVolumes, null, name, v =>
                RemoveFinalizer(v, StorageKinds.ProvisionerFinalizer) | RemoveFinalizer(v, StorageKinds.PvProtectionFinalizer));
        }
    }

    private static JsonObject SyncPhase(JsonObject volume, EmulatorContext context)
    {
        var store = context.Store;
        var name = volume.Name();
        var now = context.Time.GetUtcNow();
        var claimRef = volume.At("spec", "claimRef") as JsonObject;
        if (claimRef?.StringAt("uid") is not { Length: > 0 } claimUid)
        {
            return store.Mutate(StorageKinds.PersistentVolumes, null, name, v => ChangePhase(v, "Available", now));
        }
        var claim = store.Get(StorageKinds.PersistentVolumeClaims, claimRef.StringAt("namespace"), claimRef.StringAt("name") ?? "");
        if (claim is not null && claim.StringAt("metadata", "uid") == claimUid)
        {
            return claim.StringAt("spec", "volumeName") == name
                ? store.Mutate(StorageKinds.PersistentVolumes, null, name, v => ChangePhase(v, "Bound", now))
                : volume;
        }
        if (volume.StringAt("status", "phase") is not ("Released" or "Failed"))
        {
            volume = store.Mutate(StorageKinds.PersistentVolumes, null, name, v => ChangePhase(v, "Released", now));
        }
        if (volume.StringAt("status", "phase") != "Released" || volume.StringAt("spec", "persistentVolumeReclaimPolicy") != "Delete")
        {
            return volume;
        }
        if (volume.StringAt("metadata", "annotations", StorageKinds.ProvisionedByAnnotation) is null)
        {
            return store.Mutate(StorageKinds.PersistentVolumes, null, name, v => ChangePhase(v, "Failed", now,
                $"error getting deleter volume plugin for volume \"{name}\": no deletable volume plugin matched"));
        }
        // The external-provisioner deletes the backing volume, then the PV object, which goes Terminating until its finalizers are off.
        return store.Mutate(StorageKinds.PersistentVolumes, null, name, v =>
        {
            if (v.At("metadata", "deletionTimestamp") is not null)
            {
                return false;
            }
            v.Metadata()["deletionTimestamp"] = Timestamps.Format(now);
            v.Metadata()["deletionGracePeriodSeconds"] = 0;
            return true;
        });
    }

    private static bool ChangePhase(JsonObject volume, string phase, DateTimeOffset now, string? message = null)
    {
        if (volume.StringAt("status", "phase") == phase && volume.StringAt("status", "message") == message)
        {
            return false;
        }
        SetPhase(volume, phase, now, message);
        return true;
    }

    /// <summary>Pods that reference the claim and have not finished, as the pvc-protection controller counts them.</summary>
    internal static IEnumerable<JsonObject> UsingPods(JsonObject claim, ObjectStore store) =>
        store.List(CoreKinds.Pods, claim.Namespace() ?? "").Items
            .Select(p => p.ToJson())
            .Where(p => ClaimsOf(p).Contains(claim.Name()) && p.StringAt("status", "phase") is not ("Succeeded" or "Failed"));

    private static IEnumerable<string> ClaimsOf(JsonObject pod) =>
        pod.ObjectsAt("spec", "volumes").Select(v => v.StringAt("persistentVolumeClaim", "claimName")).OfType<string>();

    private static bool RemoveFinalizer(JsonObject obj, string finalizer)
    {
        if (obj.At("metadata", "finalizers") is not JsonArray finalizers)
        {
            return false;
        }
        var index = finalizers.Select(f => f?.GetValue<string>()).ToList().IndexOf(finalizer);
        if (index < 0)
        {
            return false;
        }
        finalizers.RemoveAt(index);
        return true;
    }
}
