using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsCommon.Remove, "ClusterNode", DefaultParameterSetName = ByPod, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Remove-ClusterNode.md")]
[OutputType(typeof(ClusterNode))]
public sealed class RemoveClusterNodeCommand : NodeHostCmdlet
{
    private const string ByName = "ByName";
    private const string ByPod = "ByPod";

    [Parameter(Mandatory = true, ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName", "Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = ByPod, ValueFromPipeline = true)]
    public NodePod? InputObject { get; set; }

    [Parameter]
    public SwitchParameter KeepHost { get; set; }

    [Parameter]
    public SwitchParameter DeleteEmptyDirData { get; set; }

    [Parameter]
    public SwitchParameter DeleteUnmanagedPods { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force.IsPresent;

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            AddNodes(() => Name);
        }
        else if (InputObject.Node is { Length: > 0 } node)
        {
            AddNodes(() => [node]);
        }
        else
        {
            var pod = InputObject;
            Run((writer, _) =>
            {
                writer.Error(PodNodeCmdlet.NotScheduled(pod));
                return Task.CompletedTask;
            });
        }
    }

    private protected override ContextReach Reach => ContextReach.Changes;

    /// <summary>One cluster's removals; with several contexts the clusters run at once, -ContextThrottleLimit at a time.</summary>
    protected override void EndProcessing() => RunOnRequestedContexts(async (connection, writer, ct) =>
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var removal = new NodeRemoval(connection, Connector(connection, writer), writer);
        var drain = new NodeDrain(new NodeMaintenance(connection, writer), writer);
        // One at a time: the last-control-plane check must see the previous removal.
        foreach (var node in nodes)
        {
            try
            {
                await removal.CheckNotLastControlPlaneAsync(node, ct).ConfigureAwait(false);
                var options = new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = DeleteEmptyDirData.IsPresent, DeleteUnmanagedPods = DeleteUnmanagedPods.IsPresent, Timeout = Timeout };
                // A drain kubectl would refuse is refused before the prompt, and the node is left as it was.
                await drain.PlanAsync(node.Name, options, ct).ConfigureAwait(false);
                var steps = KeepHost ? "drain, delete the Node and its access data" : "drain, kubeadm reset on the host, delete the Node and its access data";
                if (!await writer.ShouldProcessAsync(node.Name, $"Remove node ({steps})").ConfigureAwait(false))
                {
                    continue;
                }

                using var host = KeepHost ? null : await removal.ConnectHostAsync(node, ct).ConfigureAwait(false);
                writer.Progress(new(1, $"Removing node {node.Name}", "Draining", 10));
                await drain.RunAsync(node.Name, options, cordonMark: null, ct).ConfigureAwait(false);

                if (host is not null)
                {
                    writer.Progress(new(1, $"Removing node {node.Name}", "kubeadm reset", 50));
                    await NodeRemoval.ResetHostAsync(host, Timeout, ct).ConfigureAwait(false);
                }

                writer.Progress(new(1, $"Removing node {node.Name}", "Deleting the Node", 90));
                await removal.DeleteAsync(node.Name, ct).ConfigureAwait(false);
                if (PassThru)
                {
                    writer.Object(node);
                }

                writer.Progress(new(1, $"Removing node {node.Name}", "Done", 100, Completed: true));
            }
            catch (ClusterException e)
            {
                writer.Error(ErrorRecords.From(e));
            }
        }
    });
}
