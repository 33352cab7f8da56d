using System.Globalization;

using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

/// <summary>The revisions of the app named by -Name, newest first.</summary>
public sealed class AppRevisionCompleter : AppPartCompleter
{
    private protected override async Task<IReadOnlyList<string>> ListPartsAsync(AppService apps, string ns, string name, CancellationToken cancellationToken)
    {
        var revisions = await apps.GetRevisionsAsync(ns, name, cancellationToken).ConfigureAwait(false);
        return [.. revisions.Select(r => r.Revision.ToString(CultureInfo.InvariantCulture))];
    }
}
