using ClusterManagement.Emulator.Controllers;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// batch/v1 at work: Job and CronJob defaults, the job and cronjob controllers, and the kubelet's side
/// of it, containers that run to completion (<see cref="ContainerExitController"/>). The kinds
/// themselves are <see cref="Kinds.GeneratedObjectKindsModule"/>'s.
/// </summary>
public sealed class BatchModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder) => builder
        .AddAdmission(new JobAdmission())
        .AddController(new JobController())
        .AddController(new CronJobController())
        .AddController(new ContainerExitController());
}
