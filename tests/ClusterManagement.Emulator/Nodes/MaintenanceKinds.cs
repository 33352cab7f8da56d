using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>The kinds node maintenance needs beyond core/v1: budgets the Eviction API honours, and the DaemonSets drain looks up.</summary>
public static class MaintenanceKinds
{
    public static readonly ResourceKind PodDisruptionBudgets = new()
    {
        Group = "policy", Version = "v1", Plural = "poddisruptionbudgets", Singular = "poddisruptionbudget", Kind = "PodDisruptionBudget",
        Namespaced = true, ShortNames = ["pdb"],
        Subresources = [Subresource.Status("PodDisruptionBudget")],
        Table = new PodDisruptionBudgetTable(),
    };

    public static readonly ResourceKind DaemonSets = new()
    {
        Group = "apps", Version = "v1", Plural = "daemonsets", Singular = "daemonset", Kind = "DaemonSet",
        Namespaced = true, ShortNames = ["ds"], Categories = ["all"],
        Subresources = [Subresource.Status("DaemonSet")],
        Table = new Workloads.DaemonSetTable(),
    };
}
