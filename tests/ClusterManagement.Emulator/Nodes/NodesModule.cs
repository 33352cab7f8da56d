namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// Node maintenance: PodDisruptionBudgets (policy/v1) that the Eviction subresource honours as the
/// real server does, the disruption controller that keeps their status, and the DaemonSets drain
/// looks up, and the kubelets' node Leases. Kinds another module already serves (apps/v1 DaemonSets, once the apps area adds them)
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
        if (builder.Registry.Find("coordination.k8s.io", "v1", "leases") is null)
        {
            builder.AddKind(NodeLeaseController.Leases);
        }
        builder.AddAdmission(new DisruptionBudgetAdmission(TimeProvider.System))
            .AddController(new DisruptionController())
            .AddController(new NodeLeaseController())
            .AddSeeder(new DaemonSetSeeder());
    }
}
