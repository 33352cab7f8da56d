using System.Threading.Channels;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// kube-controller-manager's deployment and replicaset controllers in one loop: watch events mark
/// Deployments and ReplicaSets dirty (a pod marks its ReplicaSet, a ReplicaSet its Deployment),
/// ReplicaSets are synced before Deployments so rollouts see fresh availability, and timers bring
/// back what waits on time (minReadySeconds, the progress deadline).
/// </summary>
public sealed class DeploymentController : IEmulatorController
{
    public string Name => "deployment";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var replicaSetOwners = new OwnerIndex();
        var podOwners = new OwnerIndex();
        var replicaSets = new ReplicaSetSync(context, podOwners);
        var deployments = new DeploymentSync(context, replicaSetOwners);
        var dirtyDeployments = new HashSet<(string, string)>();
        var dirtySets = new HashSet<(string, string)>();
        var timers = new PriorityQueue<(bool Deployment, string Namespace, string Name), DateTimeOffset>();

        var merged = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var kinds = new[] { AppsKinds.Deployments, AppsKinds.ReplicaSets, CoreKinds.Pods };
        var subscriptions = kinds.Select(k => store.Watch(k)).ToList();
        try
        {
            var forwarders = subscriptions.Select(s => ForwardAsync(s, merged.Writer, cancellationToken)).ToList();
            foreach (var kind in kinds)
            {
                foreach (var stored in store.List(kind).Items)
                {
                    Route(new WatchEvent(WatchEventType.Added, stored, null));
                }
            }
            while (true)
            {
                foreach (var key in dirtySets.ToList())
                {
                    dirtySets.Remove(key);
                    if (replicaSets.Sync(key.Item1, key.Item2) is { } due)
                    {
                        timers.Enqueue((false, key.Item1, key.Item2), due);
                    }
                }
                foreach (var key in dirtyDeployments.ToList())
                {
                    dirtyDeployments.Remove(key);
                    if (deployments.Sync(key.Item1, key.Item2) is { } due)
                    {
                        timers.Enqueue((true, key.Item1, key.Item2), due);
                    }
                }
                await ControllerWake.WaitAsync(merged.Reader, timers, context.Time, cancellationToken);
                while (merged.Reader.TryRead(out var e))
                {
                    Route(e);
                }
                var now = context.Time.GetUtcNow();
                while (timers.TryPeek(out var timer, out var due) && due <= now)
                {
                    timers.Dequeue();
                    (timer.Deployment ? dirtyDeployments : dirtySets).Add((timer.Namespace, timer.Name));
                }
                if (forwarders.FirstOrDefault(f => f.IsFaulted) is { } failed)
                {
                    await failed;
                }
            }
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }
        }

        void Route(WatchEvent e)
        {
            var key = (e.Object.Namespace ?? "", e.Object.Name);
            if (e.Object.Kind == AppsKinds.Deployments)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    dirtyDeployments.Add(key);
                }
            }
            else if (e.Object.Kind == AppsKinds.ReplicaSets)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    dirtySets.Add(key);
                }
                if (replicaSetOwners.Apply(e) is ("Deployment", var owner))
                {
                    dirtyDeployments.Add((key.Item1, owner));
                }
            }
            else if (podOwners.Apply(e) is ("ReplicaSet", var owner))
            {
                dirtySets.Add((key.Item1, owner));
            }
        }
    }

    internal static async Task ForwardAsync(WatchSubscription subscription, ChannelWriter<WatchEvent> writer, CancellationToken cancellationToken)
    {
        await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken))
        {
            await writer.WriteAsync(e, cancellationToken);
        }
    }
}
