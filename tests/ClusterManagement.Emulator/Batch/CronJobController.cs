using System.Threading.Channels;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// The cronjob controller's loop: CronJob events and their Jobs' events mark CronJobs dirty, and each
/// is looked at again at its next scheduled minute. It also looks every second, so a test that moves the
/// cluster's clock forward (<see cref="EmulatorClock"/>) sees the due Jobs without waiting for the real minute.
/// </summary>
public sealed class CronJobController : IEmulatorController
{
    private static readonly TimeSpan ClockCheck = TimeSpan.FromSeconds(1);

    /// <summary>The timer that only wakes the loop to read the clock again.</summary>
    private static readonly (string Namespace, string Name) Tick = ("", "");

    public string Name => "cronjob";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var jobOwners = new OwnerIndex();
        var cronJobs = new CronJobSync(context, jobOwners);
        var dirty = new HashSet<(string Namespace, string Name)>();
        var timers = new PriorityQueue<(string Namespace, string Name), DateTimeOffset>();
        var nextTick = DateTimeOffset.MinValue;
        var merged = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var subscriptions = new[] { GeneratedObjectKindsModule.CronJobs, GeneratedObjectKindsModule.Jobs }.Select(k => store.Watch(k)).ToList();
        try
        {
            var forwarders = subscriptions.Select(s => DeploymentController.ForwardAsync(s, merged.Writer, cancellationToken)).ToList();
            foreach (var kind in new[] { GeneratedObjectKindsModule.Jobs, GeneratedObjectKindsModule.CronJobs })
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
                    if (cronJobs.Sync(key.Namespace, key.Name) is { } due)
                    {
                        timers.Enqueue(key, due);
                    }
                }
                if (nextTick <= context.Time.GetUtcNow())
                {
                    nextTick = context.Time.GetUtcNow() + ClockCheck;
                    timers.Enqueue(Tick, nextTick);
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
                    if (key != Tick)
                    {
                        dirty.Add(key);
                    }
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
            if (e.Object.Kind == GeneratedObjectKindsModule.CronJobs)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    dirty.Add((ns, e.Object.Name));
                }
            }
            else if (jobOwners.Apply(e) is ("CronJob", var owner))
            {
                dirty.Add((ns, owner));
            }
        }
    }
}
