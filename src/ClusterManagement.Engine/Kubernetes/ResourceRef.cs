namespace ClusterManagement.Engine.Kubernetes;

/// <summary>Names the object a request is about, so errors can say "Node 'worker-9' was not found".</summary>
/// <param name="Kind">The module's noun: Node, App, StorageClass...</param>
internal readonly record struct ResourceRef(string Kind, string? Name, string? Namespace = null)
{
    public override string ToString() =>
        Name is null ? Kind : Namespace is null ? $"{Kind} '{Name}'" : $"{Kind} '{Namespace}/{Name}'";
}
