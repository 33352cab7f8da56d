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

    public Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var podOwners = new OwnerIndex();
        var jobs = new JobSync(context, podOwners);
        var queue = new WorkQueue<(string Namespace, string Name)>(context);
        return queue.RunAsync([CoreKinds.Pods, GeneratedObjectKindsModule.Jobs], Route, key => jobs.Sync(key.Namespace, key.Name), null, cancellationToken);

        void Route(WatchEvent e)
        {
            var ns = e.Object.Namespace ?? "";
            if (e.Object.Kind == GeneratedObjectKindsModule.Jobs)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    queue.Add((ns, e.Object.Name));
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
                    queue.Add((ns, owner));
                }
                else if (JobSync.HasFinalizer(pod))
                {
                    jobs.ReleaseFinalizer(pod);
                }
            }
        }
    }
}
