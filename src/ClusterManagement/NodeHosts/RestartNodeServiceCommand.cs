using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Services;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsLifecycle.Restart, "NodeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Restart-NodeService.md")]
[OutputType(typeof(NodeUnit))]
public sealed class RestartNodeServiceCommand : NodeServiceChangeCmdlet
{
    private protected override UnitAction Action => UnitAction.Restart;
}
