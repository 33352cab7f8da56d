using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>apps/v1 StatefulSets and ControllerRevisions (DaemonSets are registered with node maintenance, which drain needs even without these controllers).</summary>
public static class WorkloadKinds
{
    public static readonly ResourceKind StatefulSets = new()
    {
        Group = "apps", Version = "v1", Plural = "statefulsets", Singular = "statefulset", Kind = "StatefulSet", Namespaced = true,
        ShortNames = ["sts"], Categories = ["all"],
        Subresources =
        [
            Subresource.Status("StatefulSet"),
            new Subresource("scale", "Scale", ["get", "patch", "update"]) { Group = "autoscaling", Version = "v1" },
        ],
        Table = new StatefulSetTable(),
    };

    /// <summary>Immutable snapshots of a StatefulSet's template (pkg/registry/apps/controllerrevision: no generation).</summary>
    public static readonly ResourceKind ControllerRevisions = new()
    {
        Group = "apps", Version = "v1", Plural = "controllerrevisions", Singular = "controllerrevision", Kind = "ControllerRevision", Namespaced = true,
        HasGeneration = false,
        Table = new ControllerRevisionTable(),
    };
}
