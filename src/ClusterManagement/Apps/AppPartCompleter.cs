using System.Collections;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

/// <summary>Completes a part of the app that -Name names (its revisions, its containers): nothing until -Name is given.</summary>
public abstract class AppPartCompleter : ClusterNameCompleter
{
    private protected sealed override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        boundParameters["Name"] is string name
            ? ListPartsAsync(new AppService(connection), AppNameCompleter.NamespaceOf(connection, boundParameters), name, cancellationToken)
            : Task.FromResult<IReadOnlyList<string>>([]);

    private protected abstract Task<IReadOnlyList<string>> ListPartsAsync(AppService apps, string ns, string name, CancellationToken cancellationToken);
}
