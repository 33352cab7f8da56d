using System.Management.Automation;
using ClusterManagement.Infrastructure;
using ClusterManagement.NodeHosts.Services;

namespace ClusterManagement.NodeHosts;

[Cmdlet(VerbsLifecycle.Restart, "NodeService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Restart-NodeService.md")]
[OutputType(typeof(NodeUnit))]
public sealed class RestartNodeServiceCommand : NodeServiceChangeCmdlet
{
    private protected override UnitAction Action => UnitAction.Restart;
}
