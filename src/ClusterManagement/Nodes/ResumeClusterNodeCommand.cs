using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

/// <summary>Uncordons nodes: new pods may be scheduled on them again.</summary>
[Cmdlet(VerbsLifecycle.Resume, "ClusterNode", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Resume-ClusterNode.md")]
[OutputType(typeof(ClusterNode))]
public sealed class ResumeClusterNodeCommand : PodNodeCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(Mandatory = true, ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName", "Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override bool ForceRequested => Force;

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var maintenance = new NodeMaintenance(connection, writer);
        var nodes = new NodeService(connection);
        foreach (var name in RequestedNames(Name, writer))
        {
            try
            {
                await SchedulingChange.ApplyAsync(name, false, PassThru, maintenance, nodes, writer, ct).ConfigureAwait(false);
            }
            catch (ClusterException e)
            {
                writer.Error(ErrorRecords.From(e));
            }
        }
    });
}
