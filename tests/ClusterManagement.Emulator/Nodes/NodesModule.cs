namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// Node maintenance: PodDisruptionBudgets (policy/v1) that the Eviction subresource honours as the
/// real server does, the disruption controller that keeps their status, and the DaemonSets drain
/// looks up. Kinds another module already serves (apps/v1 DaemonSets, once the apps area adds them)
/// are left to it.
/// </summary>
public sealed class NodesModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder)
    {
        builder.AddKind(MaintenanceKinds.PodDisruptionBudgets);
        if (builder.Registry.Find("apps", "v1", "daemonsets") is null)
        {
            builder.AddKind(MaintenanceKinds.DaemonSets);
        }
        builder.AddAdmission(new DisruptionBudgetAdmission(TimeProvider.System))
            .AddController(new DisruptionController())
            .AddSeeder(new DaemonSetSeeder());
    }
}
