using System.Text.Json.Nodes;
using System.Threading.Channels;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>
/// The daemonset and statefulset controllers in one loop: events mark sets dirty (a pod marks its
/// owner; a node whose labels, taints or existence changed marks every DaemonSet, its heartbeats do
/// not), a burst of events costs one sync per set, and timers bring back what waits on minReadySeconds.
/// </summary>
public sealed class WorkloadController(ResourceKind daemonSets, ResourceKind statefulSets) : IEmulatorController
{
    public string Name => "workloads";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var podOwners = new OwnerIndex();
        var daemons = new DaemonSetSync(context, daemonSets, podOwners);
        var stateful = new StatefulSetSync(context, statefulSets);
        var dirty = new HashSet<(ResourceKind Kind, string Namespace, string Name)>();
        var timers = new PriorityQueue<(ResourceKind Kind, string Namespace, string Name), DateTimeOffset>();
        var merged = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var kinds = new[] { daemonSets, statefulSets, CoreKinds.Pods, CoreKinds.Nodes };
        var subscriptions = kinds.Select(k => store.Watch(k)).ToList();
        try
        {
            var forwarders = subscriptions.Select(s => DeploymentController.ForwardAsync(s, merged.Writer, cancellationToken)).ToList();
            foreach (var kind in new[] { CoreKinds.Pods, daemonSets, statefulSets })
            {
                foreach (var stored in store.List(kind).Items)
                {
                    Route(new WatchEvent(WatchEventType.Added, stored, null));
                }
            }
            while (true)
            {
                foreach (var key in dirty.ToList())
                {
                    dirty.Remove(key);
                    var due = key.Kind == daemonSets ? daemons.Sync(key.Namespace, key.Name) : stateful.Sync(key.Namespace, key.Name);
                    if (due is { } at)
                    {
                        timers.Enqueue(key, at);
                    }
                }
                await ControllerWake.WaitAsync(merged.Reader, timers, context.Time, cancellationToken);
                while (merged.Reader.TryRead(out var e))
                {
                    Route(e);
                }
                var now = context.Time.GetUtcNow();
                while (timers.TryPeek(out var key, out var due) && due <= now)
                {
                    timers.Dequeue();
                    dirty.Add(key);
                }
                if (forwarders.FirstOrDefault(f => f.IsFaulted) is { } failed)
                {
                    await failed;
                }
            }
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }

        void Route(WatchEvent e)
        {
            var ns = e.Object.Namespace ?? "";
            if (e.Object.Kind == daemonSets || e.Object.Kind == statefulSets)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    dirty.Add((e.Object.Kind, ns, e.Object.Name));
                }
            }
            else if (e.Object.Kind == CoreKinds.Nodes)
            {
                if (e.Type != WatchEventType.Modified || PlacementChanged(e))
                {
                    foreach (var ds in store.List(daemonSets).Items)
                    {
                        dirty.Add((daemonSets, ds.Namespace ?? "", ds.Name));
                    }
                }
            }
            else if (podOwners.Apply(e) is var (ownerKind, owner))
            {
                if (ownerKind == daemonSets.Kind)
                {
                    dirty.Add((daemonSets, ns, owner));
                }
                else if (ownerKind == statefulSets.Kind)
                {
                    dirty.Add((statefulSets, ns, owner));
                }
            }
        }
    }

    /// <summary>Labels and taints decide where daemon pods run; a heartbeat changes neither.</summary>
    private static bool PlacementChanged(WatchEvent e)
    {
        if (e.Previous is null)
        {
            return true;
        }
        var before = e.Previous.ToJson();
        var after = e.Object.ToJson();
        return !JsonNode.DeepEquals(before.At("metadata", "labels"), after.At("metadata", "labels"))
            || !JsonNode.DeepEquals(before.At("spec", "taints"), after.At("spec", "taints"));
    }
}
