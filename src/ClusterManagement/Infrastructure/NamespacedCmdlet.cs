using System.Management.Automation;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Infrastructure;

/// <summary>Base of cmdlets for namespaced objects: -Namespace, defaulting as kubectl does.</summary>
public abstract class NamespacedCmdlet : ClusterCmdlet
{
    /// <summary>
    /// <para type="description">The namespace. Defaults to the one chosen with Use-ClusterContext, then the context's namespace.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected string NamespaceFor(ClusterConnection connection) =>
        connection.ResolveNamespace(Namespace ?? SessionNamespaceFor(connection));
}
