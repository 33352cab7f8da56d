using System.Collections;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Apps;

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
