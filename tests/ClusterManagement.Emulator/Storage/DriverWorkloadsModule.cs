using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Storage;

/// <summary>
/// STAND-IN until the apps area's controllers cover them: serves apps/v1 StatefulSets (unless a module
/// before this one does) and reports StatefulSets and DaemonSets ready (status only, no pods), which
/// is all a CSI driver installation waits for. Deployments are the apps area's own. Drop this module
/// from <see cref="EmulatorOptions.Modules"/> once real StatefulSet and DaemonSet controllers exist.
/// </summary>
public sealed class DriverWorkloadsModule : IEmulatorModule
{
    public static readonly ResourceKind StatefulSets = new()
    {
        Group = "apps", Version = "v1", Plural = "statefulsets", Singular = "statefulset", Kind = "StatefulSet", Namespaced = true,
        ShortNames = ["sts"], Categories = ["all"], Subresources = [Subresource.Status("StatefulSet")],
    };

    public void Register(EmulatorBuilder builder)
    {
        if (builder.Registry.Find("apps", "v1", "statefulsets") is null)
        {
            builder.AddKind(StatefulSets);
        }
        builder.AddController(new ReadyController());
    }

    /// <summary>Sets each workload's status to fully rolled out and ready for its current generation.</summary>
    private sealed class ReadyController : IEmulatorController
    {
        public string Name => "driver-workloads-ready";

        public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
        {
            // Whichever module serves the kinds owns them; the store keys objects by the registered kind.
            ResourceKind[] kinds = [.. new[] { "statefulsets", "daemonsets" }.Select(p => context.Registry.Find("apps", "v1", p)).OfType<ResourceKind>()];
            var subscriptions = kinds.Select(k => context.Store.Watch(k)).ToList();
            try
            {
                foreach (var kind in kinds)
                {
                    foreach (var stored in context.Store.List(kind).Items)
                    {
                        MarkReady(kind, stored, context);
                    }
                }
                while (true)
                {
                    await Task.WhenAny(subscriptions.Select(s => s.Events.WaitToReadAsync(cancellationToken).AsTask()));
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (var subscription in subscriptions)
                    {
                        while (subscription.Events.TryRead(out var e))
                        {
                            if (e.Type != WatchEventType.Deleted)
                            {
                                MarkReady(subscription.Kind, e.Object, context);
                            }
                        }
                    }
                }
            }
            finally
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }

        private static void MarkReady(ResourceKind kind, StoredObject stored, EmulatorContext context)
        {
            var daemonSet = kind.Plural == "daemonsets";
            var tolerations = daemonSet ? stored.ToJson().ObjectsAt("spec", "template", "spec", "tolerations").ToList() : [];
            var nodes = daemonSet ? context.Store.List(CoreKinds.Nodes).Items.Count(n => Tolerates(tolerations, n.ToJson())) : 0;
            try
            {
                context.Store.Mutate(kind, stored.Namespace, stored.Name, obj =>
                {
                    var generation = obj.LongAt("metadata", "generation") ?? 1;
                    if (obj.LongAt("status", "observedGeneration") == generation)
                    {
                        return false;
                    }
                    obj["status"] = daemonSet ? DaemonSetStatus(nodes, generation) : ReplicaStatus(obj, generation);
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted since the event.
            }
        }

        /// <summary>A DaemonSet runs on the nodes whose NoSchedule and NoExecute taints its pods tolerate.</summary>
        private static bool Tolerates(IReadOnlyList<JsonObject> tolerations, JsonObject node) =>
            node.ObjectsAt("spec", "taints").Where(t => t.StringAt("effect") is "NoSchedule" or "NoExecute").All(taint => tolerations.Any(t =>
                (t.StringAt("effect") is null or "" || t.StringAt("effect") == taint.StringAt("effect"))
                && (t.StringAt("operator") == "Exists"
                    ? t.StringAt("key") is null or "" || t.StringAt("key") == taint.StringAt("key")
                    : t.StringAt("key") == taint.StringAt("key") && (t.StringAt("value") ?? "") == (taint.StringAt("value") ?? ""))));

        private static JsonObject ReplicaStatus(JsonObject obj, long generation)
        {
            var replicas = obj.LongAt("spec", "replicas") ?? 1;
            var status = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["replicas"] = replicas,
                ["readyReplicas"] = replicas,
                ["availableReplicas"] = replicas,
                ["updatedReplicas"] = replicas,
                ["currentReplicas"] = replicas,
            };
            return status;
        }

        private static JsonObject DaemonSetStatus(int nodes, long generation) => new()
        {
            ["observedGeneration"] = generation,
            ["desiredNumberScheduled"] = nodes,
            ["currentNumberScheduled"] = nodes,
            ["numberReady"] = nodes,
            ["numberAvailable"] = nodes,
            ["updatedNumberScheduled"] = nodes,
            ["numberMisscheduled"] = 0,
        };
    }
}
