using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Seeding;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>core/v1 and the kubelet/controller-manager behaviour behind it.</summary>
public sealed class CoreModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder)
    {
        foreach (var kind in CoreKinds.All)
        {
            builder.AddKind(kind);
        }
        builder.SetSubresourceHandler(CoreKinds.Pods, "eviction", new PodEvictionHandler())
            .AddAdmission(new CoreDefaultsAdmission())
            .AddAdmission(new CoreValidationAdmission())
            .AddAdmission(new ExternalHeartbeatAdmission())
            .AddController(new NodeHeartbeatController())
            .AddController(new NodeLifecycleController())
            .AddController(new Scheduling.PodScheduler())
            .AddController(new PodLifecycleController())
            .AddSeeder(new ClusterSeeder());
    }
}
