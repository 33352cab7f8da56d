using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
namespace ClusterManagement.Commands.Apps;

/// <summary>The containers of the app named by -Name: -Container must name one of them.</summary>
public sealed class AppContainerCompleter : AppPartCompleter
{
    private protected override async Task<IReadOnlyList<string>> ListPartsAsync(AppService apps, string ns, string name, CancellationToken cancellationToken) =>
        (await apps.GetAsync(ns, name, cancellationToken).ConfigureAwait(false)).Containers;
}
