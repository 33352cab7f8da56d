using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Apps;

/// <summary>apps/v1 Deployments and ReplicaSets, with the scale subresource kubectl scale discovers.</summary>
public static class AppsKinds
{
    public static readonly ResourceKind Deployments = new()
    {
        Group = "apps", Version = "v1", Plural = "deployments", Singular = "deployment", Kind = "Deployment",
        Namespaced = true, ShortNames = ["deploy"], Categories = ["all"],
        Subresources =
        [
            Subresource.Status("Deployment"),
            new Subresource("scale", "Scale", ["get", "patch", "update"]) { Group = "autoscaling", Version = "v1" },
        ],
        Table = new DeploymentTable(),
    };

    public static readonly ResourceKind ReplicaSets = new()
    {
        Group = "apps", Version = "v1", Plural = "replicasets", Singular = "replicaset", Kind = "ReplicaSet",
        Namespaced = true, ShortNames = ["rs"], Categories = ["all"],
        Subresources =
        [
            Subresource.Status("ReplicaSet"),
            new Subresource("scale", "Scale", ["get", "patch", "update"]) { Group = "autoscaling", Version = "v1" },
        ],
        Table = new ReplicaSetTable(),
    };

    public static IReadOnlyList<ResourceKind> All { get; } = [Deployments, ReplicaSets];
}
