using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;
using ClusterManagement.NodeHosts.Join;
using ClusterManagement.Nodes;

namespace ClusterManagement.NodeHosts;

[Cmdlet(VerbsCommon.Remove, "ClusterNode", DefaultParameterSetName = ByPod, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Remove-ClusterNode.md")]
[OutputType(typeof(ClusterNode))]
public sealed class RemoveClusterNodeCommand : NodeHostCmdlet
{
    private const string ByName = "ByName";
    private const string ByPod = "ByPod";

    /// <summary>
    /// <para type="description">The nodes to remove (names, or ClusterNode objects from the pipeline).</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName", "Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>
    /// <para type="description">A pod from Get-NodePod: removes the node it runs on. Bound before -Name, which would take the pod's own name.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByPod, ValueFromPipeline = true)]
    public NodePod? InputObject { get; set; }

    /// <summary>
    /// <para type="description">Leaves the host as it is: no kubeadm reset. The Node is still drained and deleted.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter KeepHost { get; set; }

    /// <summary>
    /// <para type="description">Lets the drain evict pods with emptyDir volumes, whose data is lost.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter DeleteEmptyDirData { get; set; }

    /// <summary>
    /// <para type="description">Lets the drain delete pods that declare no controller, which nothing recreates (kubectl drain --force).</para>
    /// </summary>
    [Parameter]
    public SwitchParameter DeleteUnmanagedPods { get; set; }

    /// <summary>
    /// <para type="description">How long the drain and the reset may take per node; seconds or a TimeSpan. Default: 5 minutes.</para>
    /// </summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <para type="description">Writes each removed node, as it was before removal, to the pipeline.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// <para type="description">Does not ask for confirmation.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force.IsPresent;

    protected override void ProcessRecord()
    {
        if (InputObject is null)
        {
            AddNodes(Name);
        }
        else if (InputObject.Node is { Length: > 0 } node)
        {
            AddNodes([node]);
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

    protected override void EndProcessing() => Run(async (writer, ct) =>
    {
        var connection = Connect();
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var removal = new NodeRemoval(connection, Connector(writer), writer);
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
