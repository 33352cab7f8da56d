using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

/// <summary>Lists the pods that run on nodes, with what a drain decides on: controller, mirror pod, local storage.</summary>
[Cmdlet(VerbsCommon.Get, "NodePod", HelpUri = HelpPages.Docs + "Get-NodePod.md")]
[OutputType(typeof(NodePod))]
public sealed class GetNodePodCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var maintenance = new NodeMaintenance(connection, writer);
        var nodes = new NodeService(connection);
        foreach (var node in Node)
        {
            try
            {
                // A node with no pods and a node that does not exist must not look alike.
                await nodes.GetAsync(node, ct).ConfigureAwait(false);
                await foreach (var pod in maintenance.ListPodsAsync(node, ct).ConfigureAwait(false))
                {
                    if (Namespace is null || pod.Namespace == Namespace)
                    {
                        writer.Object(pod);
                    }
                }
            }
            catch (ClusterException e)
            {
                writer.Error(ErrorRecords.From(e));
            }
        }
    });
}
