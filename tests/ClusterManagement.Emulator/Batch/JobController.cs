using System.Threading.Channels;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// The job controller's loop: Job events and their pods' events mark Jobs dirty, timers bring back what
/// waits (failure backoff, activeDeadlineSeconds), and a pod whose Job is gone loses the job-tracking
/// finalizer, as the real controller does for orphans, so the garbage collector can remove it.
/// </summary>
public sealed class JobController : IEmulatorController
{
    public string Name => "job";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var podOwners = new OwnerIndex();
        var jobs = new JobSync(context, podOwners);
        var dirty = new HashSet<(string Namespace, string Name)>();
        var timers = new PriorityQueue<(string Namespace, string Name), DateTimeOffset>();
        var merged = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var subscriptions = new[] { GeneratedObjectKindsModule.Jobs, CoreKinds.Pods }.Select(k => store.Watch(k)).ToList();
        try
        {
            var forwarders = subscriptions.Select(s => DeploymentController.ForwardAsync(s, merged.Writer, cancellationToken)).ToList();
            foreach (var kind in new[] { CoreKinds.Pods, GeneratedObjectKindsModule.Jobs })
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
                    if (jobs.Sync(key.Namespace, key.Name) is { } due)
                    {
                        timers.Enqueue(key, due);
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
            if (e.Object.Kind == GeneratedObjectKindsModule.Jobs)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    dirty.Add((ns, e.Object.Name));
                    return;
                }
                foreach (var (podNs, podName) in podOwners.Owned(e.Object.Uid))
                {
                    if (store.Get(CoreKinds.Pods, podNs, podName) is { } orphan)
                    {
                        jobs.ReleaseFinalizer(orphan);
                    }
                }
            }
            else if (podOwners.Apply(e) is ("Job", var owner) && e.Type != WatchEventType.Deleted)
            {
                var pod = e.Object.ToJson();
                if (store.Find(GeneratedObjectKindsModule.Jobs, ns, owner) is { } job && job.Uid == OwnerIndex.ControllerOf(pod)?.StringAt("uid"))
                {
                    dirty.Add((ns, owner));
                }
                else if (JobSync.HasFinalizer(pod))
                {
                    jobs.ReleaseFinalizer(pod);
                }
            }
        }
    }
}
