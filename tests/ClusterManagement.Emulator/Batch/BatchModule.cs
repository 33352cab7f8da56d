using ClusterManagement.Emulator.Controllers;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// batch/v1 at work: Job and CronJob defaults and the job and cronjob controllers. Their pods are
/// placed by the scheduler and run to completion by the emulated kubelet (<see cref="Kubelet.ContainerProcess"/>
/// reads how a command ends). The kinds themselves are <see cref="Kinds.GeneratedObjectKindsModule"/>'s.
/// </summary>
public sealed class BatchModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder) => builder
        .AddAdmission(new JobAdmission())
        .AddController(new JobController())
        .AddController(new CronJobController());
}
