using System.Collections;
using ClusterManagement.Apps;
using ClusterManagement.Infrastructure;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Apps;

/// <summary>App names in the namespace the command line (or the session) targets.</summary>
public sealed class AppNameCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new AppService(connection).ListNamesAsync(NamespaceOf(connection, boundParameters), cancellationToken);

    internal static string NamespaceOf(ClusterConnection connection, IDictionary boundParameters)
    {
        var defaults = SessionDefaults.Current;
        return connection.ResolveNamespace(boundParameters["Namespace"] as string ?? (defaults.Context == connection.ContextName ? defaults.Namespace : null));
    }
}
