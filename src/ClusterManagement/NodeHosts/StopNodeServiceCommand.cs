using System.Management.Automation;
using ClusterManagement.Infrastructure;
using ClusterManagement.NodeHosts.Services;

namespace ClusterManagement.NodeHosts;

[Cmdlet(VerbsLifecycle.Stop, "NodeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Stop-NodeService.md")]
[OutputType(typeof(NodeUnit))]
public sealed class StopNodeServiceCommand : NodeServiceChangeCmdlet
{
    private protected override UnitAction Action => UnitAction.Stop;
}
