using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

/// <summary>Cordons nodes, and with -Drain evicts their pods the way kubectl drain does.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "ClusterNode", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Suspend-ClusterNode.md")]
[OutputType(typeof(NodeDrainResult), typeof(ClusterNode))]
public sealed class SuspendClusterNodeCommand : PodNodeCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(Mandatory = true, ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName", "Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter Drain { get; set; }

    [Parameter]
    public SwitchParameter IgnoreDaemonSets { get; set; }

    [Parameter]
    public SwitchParameter DeleteEmptyDirData { get; set; }

    /// <summary>kubectl's --force: also evicts pods that declare no controller, and orphans of a deleted DaemonSet.</summary>
    [Parameter]
    public SwitchParameter DeleteUnmanagedPods { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? GracePeriod { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    [Parameter]
    public SwitchParameter DisableEviction { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override bool ForceRequested => Force;

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var maintenance = new NodeMaintenance(connection, writer);
        var drain = new NodeDrain(maintenance, writer);
        var nodes = new NodeService(connection);
        var options = new DrainOptions
        {
            IgnoreDaemonSets = IgnoreDaemonSets,
            DeleteEmptyDirData = DeleteEmptyDirData,
            DeleteUnmanagedPods = DeleteUnmanagedPods || ForceStandsFor(nameof(DeleteUnmanagedPods)),
            GracePeriodSeconds = GracePeriod,
            Timeout = Timeout is { } t && t > TimeSpan.Zero ? t : null,
            DisableEviction = DisableEviction,
        };
        foreach (var name in RequestedNames(Name, writer))
        {
            try
            {
                if (Drain)
                {
                    using var group = writer.Group($"Drain node {name}");
                    await DrainAsync(name, drain, maintenance, nodes, options, writer, ct).ConfigureAwait(false);
                }
                else
                {
                    await SchedulingChange.ApplyAsync(name, true, PassThru, maintenance, nodes, writer, ct).ConfigureAwait(false);
                }
            }
            catch (ClusterException e)
            {
                // One node's failure must not stop the others in the pipeline.
                writer.Error(ErrorRecords.From(e));
            }
        }
    });

    private async Task DrainAsync(string name, NodeDrain drain, NodeMaintenance maintenance, NodeService nodes, DrainOptions options, PipelineWriter writer, CancellationToken ct)
    {
        // Decided before anything changes, so a drain kubectl would refuse leaves the node as it was.
        var plan = await drain.PlanAsync(name, options, ct).ConfigureAwait(false);
        // Only the deprecated path pays for a second plan: it tells whether -Force's old meaning matters on this node.
        if (ForceStandsFor(nameof(DeleteUnmanagedPods))
            && (await maintenance.PlanDrainAsync(name, options with { DeleteUnmanagedPods = false }, ct).ConfigureAwait(false)).Block.Length > 0)
        {
            WarnForceDeprecated(nameof(DeleteUnmanagedPods), "deletes pods that declare no controller when draining", writer);
        }

        if (!await writer.ShouldProcessAsync($"Node {name}", "Drain", plan.Describe()).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            writer.Object(await drain.RunAsync(name, options, cordonMark: null, ct).ConfigureAwait(false));
        }
        catch (ClusterException e) when (e.Target is NodeDrainResult partial)
        {
            writer.Object(partial);
            throw;
        }

        if (PassThru)
        {
            writer.Object(await nodes.GetAsync(name, ct).ConfigureAwait(false));
        }
    }
}
