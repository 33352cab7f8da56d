using System.Collections;
using System.Management.Automation;
using ClusterManagement.Commands.Apps;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Events;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Events;

/// <summary>-Reason: the reasons of the events the command line reads (its -Namespace, or every namespace with -AllNamespaces), from one page.</summary>
public sealed class EventReasonCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        new EventService(connection, Diagnostics.NullOperationLog.Instance).ListReasonsAsync(
            boundParameters["AllNamespaces"] is true or SwitchParameter { IsPresent: true } ? null : AppNameCompleter.NamespaceOf(connection, boundParameters),
            cancellationToken);
}
