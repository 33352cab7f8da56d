using System.Collections;
using ClusterManagement.Infrastructure;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Apps;

/// <summary>The containers of the app named by -Name: -Container must name one of them.</summary>
public sealed class AppContainerCompleter : ClusterNameCompleter
{
    protected override async Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken)
    {
        if (boundParameters["Name"] is not string name)
        {
            return [];
        }
        var app = await new AppService(connection).GetAsync(AppNameCompleter.NamespaceOf(connection, boundParameters), name, cancellationToken).ConfigureAwait(false);
        return app.Containers;
    }
}
