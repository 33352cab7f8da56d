using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Storage;

/// <summary>
/// STAND-IN until the apps area's real controllers exist: serves apps/v1 Deployments, StatefulSets
/// and DaemonSets and reports them ready (status only, no ReplicaSets or pods), which is all a CSI
/// driver installation waits for. Drop this module from <see cref="EmulatorOptions.Modules"/> once an
/// apps module registers these kinds.
/// </summary>
public sealed class DriverWorkloadsModule : IEmulatorModule
{
    public static readonly ResourceKind Deployments = Apps("deployments", "deployment", "Deployment", ["deploy"]);
    public static readonly ResourceKind StatefulSets = Apps("statefulsets", "statefulset", "StatefulSet", ["sts"]);
    public static readonly ResourceKind DaemonSets = Apps("daemonsets", "daemonset", "DaemonSet", ["ds"]);

    public void Register(EmulatorBuilder builder)
    {
        builder.AddKind(Deployments).AddKind(StatefulSets).AddKind(DaemonSets).AddController(new ReadyController());
    }

    private static ResourceKind Apps(string plural, string singular, string kind, IReadOnlyList<string> shortNames) => new()
    {
        Group = "apps", Version = "v1", Plural = plural, Singular = singular, Kind = kind, Namespaced = true,
        ShortNames = shortNames, Categories = ["all"], Subresources = [Subresource.Status(kind)],
    };

    /// <summary>Sets each workload's status to fully rolled out and ready for its current generation.</summary>
    private sealed class ReadyController : IEmulatorController
    {
        public string Name => "driver-workloads-ready";

        public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
        {
            ResourceKind[] kinds = [Deployments, StatefulSets, DaemonSets];
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
            var nodes = kind == DaemonSets ? context.Store.List(CoreKinds.Nodes).Items.Count(n => !IsControlPlane(n.ToJson())) : 0;
            try
            {
                context.Store.Mutate(kind, stored.Namespace, stored.Name, obj =>
                {
                    var generation = obj.LongAt("metadata", "generation") ?? 1;
                    if (obj.LongAt("status", "observedGeneration") == generation)
                    {
                        return false;
                    }
                    obj["status"] = kind == DaemonSets ? DaemonSetStatus(nodes, generation) : ReplicaStatus(obj, kind, generation);
                    return true;
                });
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted since the event.
            }
        }

        private static bool IsControlPlane(JsonObject node) =>
            node.Labels()?.ContainsKey("node-role.kubernetes.io/control-plane") == true;

        private static JsonObject ReplicaStatus(JsonObject obj, ResourceKind kind, long generation)
        {
            var replicas = obj.LongAt("spec", "replicas") ?? 1;
            var status = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["replicas"] = replicas,
                ["readyReplicas"] = replicas,
                ["availableReplicas"] = replicas,
                ["updatedReplicas"] = replicas,
            };
            if (kind == StatefulSets)
            {
                status["currentReplicas"] = replicas;
            }
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
