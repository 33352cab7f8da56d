using ClusterManagement.Emulator.Nodes;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>apps/v1 DaemonSets and StatefulSets with the controllers that make their pods, claims, revisions and status.</summary>
public sealed class WorkloadsModule : IEmulatorModule
{
    public void Register(EmulatorBuilder builder)
    {
        // Node maintenance may have registered DaemonSets already (drain looks them up); the store keys objects by the registered kind.
        var daemonSets = builder.Registry.Find("apps", "v1", "daemonsets");
        if (daemonSets is null)
        {
            builder.AddKind(MaintenanceKinds.DaemonSets);
            daemonSets = MaintenanceKinds.DaemonSets;
        }
        builder.AddKind(WorkloadKinds.StatefulSets)
            .AddKind(WorkloadKinds.ControllerRevisions)
            .SetSubresourceHandler(WorkloadKinds.StatefulSets, "scale", new Apps.ScaleHandler(WorkloadKinds.StatefulSets))
            .AddAdmission(new WorkloadsAdmission(daemonSets))
            .AddController(new WorkloadController(daemonSets, WorkloadKinds.StatefulSets));
    }
}
