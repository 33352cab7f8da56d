using System.Collections;
using System.Globalization;
using ClusterManagement.Apps;
using ClusterManagement.Infrastructure;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Apps;

/// <summary>The revisions of the app named by -Name, newest first.</summary>
public sealed class AppRevisionCompleter : ClusterNameCompleter
{
    protected override async Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken)
    {
        if (boundParameters["Name"] is not string name)
        {
            return [];
        }
        var revisions = await new AppService(connection).GetRevisionsAsync(AppNameCompleter.NamespaceOf(connection, boundParameters), name, cancellationToken).ConfigureAwait(false);
        return [.. revisions.Select(r => r.Revision.ToString(CultureInfo.InvariantCulture))];
    }
}
