using System.Management.Automation;
using ClusterManagement.Infrastructure;
using ClusterManagement.NodeHosts.Services;

namespace ClusterManagement.NodeHosts;

[Cmdlet(VerbsLifecycle.Start, "NodeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Start-NodeService.md")]
[OutputType(typeof(NodeUnit))]
public sealed class StartNodeServiceCommand : NodeServiceChangeCmdlet
{
    private protected override UnitAction Action => UnitAction.Start;
}
