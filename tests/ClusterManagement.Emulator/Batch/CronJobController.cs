using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// The cronjob controller's loop: CronJob events and their Jobs' events mark CronJobs dirty, and each
/// is looked at again at its next scheduled minute. It also reads the clock every second, so a test that
/// moves the cluster's clock forward (<see cref="EmulatorClock"/>) sees the due Jobs without waiting.
/// </summary>
public sealed class CronJobController : IEmulatorController
{
    private static readonly TimeSpan ClockCheck = TimeSpan.FromSeconds(1);

    public string Name => "cronjob";

    public Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var jobOwners = new OwnerIndex();
        var cronJobs = new CronJobSync(context, jobOwners);
        var queue = new WorkQueue<(string Namespace, string Name)>(context);
        return queue.RunAsync([GeneratedObjectKindsModule.Jobs, GeneratedObjectKindsModule.CronJobs], Route, key => cronJobs.Sync(key.Namespace, key.Name), ClockCheck, cancellationToken);

        void Route(WatchEvent e)
        {
            var ns = e.Object.Namespace ?? "";
            if (e.Object.Kind == GeneratedObjectKindsModule.CronJobs)
            {
                if (e.Type != WatchEventType.Deleted)
                {
                    queue.Add((ns, e.Object.Name));
                }
            }
            else if (jobOwners.Apply(e) is ("CronJob", var owner))
            {
                queue.Add((ns, owner));
            }
        }
    }
}
