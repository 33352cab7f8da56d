using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Services;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsLifecycle.Stop, "NodeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Stop-NodeService.md")]
[OutputType(typeof(NodeUnit))]
public sealed class StopNodeServiceCommand : NodeServiceChangeCmdlet
{
    private protected override UnitAction Action => UnitAction.Stop;
}
