using System.Management.Automation;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Infrastructure;

/// <summary>Base of cmdlets for namespaced objects: -Namespace, defaulting as kubectl does.</summary>
public abstract class NamespacedCmdlet : ClusterCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public virtual string? Namespace { get; set; }

    private protected string NamespaceFor(ClusterConnection connection) =>
        connection.ResolveNamespace(Namespace ?? SessionNamespaceFor(connection));
}
