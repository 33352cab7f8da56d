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

    /// <summary>Time between resize steps, so clients can watch each condition go by.</summary>
    private static readonly TimeSpan ResizeStep = TimeSpan.FromMilliseconds(300);

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
        if (claim.StringAt("spec", "volumeName") is not { Length: > 0 })
        {
            Provision(claim, context);
        }
        else if (claim.StringAt("status", "phase") == "Bound")
        {
            Expand(claim, context);
        }
    }

    private void Provision(JsonObject claim, EmulatorContext context)
    {
        var store = context.Store;
        var (ns, name) = (claim.Namespace(), claim.Name());
        if (StorageKinds.ClassOf(claim) is not { } className || store.Get(StorageKinds.StorageClasses, null, className) is not { } sc)
        {
            return;
        }
        var provisioner = sc.StringAt("provisioner") ?? "";
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
        if (store.Find(StorageKinds.CsiDrivers, null, provisioner) is null)
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
        store.Mutate(StorageKinds.PersistentVolumes, null, volumeName, v =>
        {
            v["status"] = new JsonObject { ["phase"] = "Bound" };
            return true;
        });
    }

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
                ["finalizers"] = new JsonArray(StorageKinds.ProvisionerFinalizer, StorageKinds.PvProtectionFinalizer),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject { ["phase"] = "Pending" },
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
            var volumeName = claim.StringAt("spec", "volumeName")!;
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

    /// <summary>Released when the claim is gone; then Delete removes the volume and Retain keeps it for an administrator.</summary>
    private static void ReconcileVolume(string name, EmulatorContext context)
    {
        var store = context.Store;
        if (store.Get(StorageKinds.PersistentVolumes, null, name) is not { } volume || volume.At("spec", "claimRef") is not JsonObject claimRef)
        {
            return;
        }
        var claim = store.Get(StorageKinds.PersistentVolumeClaims, claimRef.StringAt("namespace"), claimRef.StringAt("name") ?? "");
        var claimGone = claim is null || claim.StringAt("metadata", "uid") != claimRef.StringAt("uid");
        if (!claimGone)
        {
            return;
        }
        var phase = volume.StringAt("status", "phase");
        if (phase is "Bound" or "Pending")
        {
            volume = store.Mutate(StorageKinds.PersistentVolumes, null, name, v =>
            {
                v["status"] = new JsonObject { ["phase"] = "Released" };
                return true;
            });
        }
        if (volume.StringAt("status", "phase") == "Released" && volume.StringAt("spec", "persistentVolumeReclaimPolicy") == "Delete"
            && volume.StringAt("metadata", "annotations", StorageKinds.ProvisionedByAnnotation) is not null)
        {
            store.Delete(StorageKinds.PersistentVolumes, null, name);
        }
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
