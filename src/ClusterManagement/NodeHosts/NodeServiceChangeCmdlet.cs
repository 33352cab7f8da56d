using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Services;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

/// <summary>Start-, Stop- and Restart-NodeService: one systemctl verb on units of several nodes.</summary>
public abstract class NodeServiceChangeCmdlet : NodeHostCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeServiceNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force.IsPresent;

    private protected abstract UnitAction Action { get; }

    protected override void ProcessRecord() => AddNodes(() => Node);

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void EndProcessing()
    {
        CheckedUpFront(() => { NodeUnitService.RequireValidNames(Name); return Name; });
        RunOnRequestedContexts(ChangeUnitsAsync);
    }

    private async Task ChangeUnitsAsync(ClusterConnection connection, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var connector = Connector(connection, writer);
        var verb = Action.ToString();
        var approved = new List<(ClusterNode Node, string[] Units)>();
        foreach (var node in nodes)
        {
            var units = new List<string>();
            foreach (var unit in Name.Select(NodeUnitService.Normalize))
            {
                if (await writer.ShouldProcessAsync($"{unit} on {node.Name}", $"{verb} service").ConfigureAwait(false))
                {
                    units.Add(unit);
                }
            }

            if (units.Count > 0)
            {
                approved.Add((node, [.. units]));
            }
        }

        await ForEachAsync(approved, writer, async (item, token) =>
        {
            using var shell = await connector.ConnectAsync(item.Node, token).ConfigureAwait(false);
            foreach (var unit in item.Units)
            {
                var readiness = NodeUnitService.AffectsReadiness(unit) && Action != UnitAction.Start;
                if (readiness && Action == UnitAction.Stop)
                {
                    writer.Warning($"Stopping kubelet on {item.Node.Name}: the node goes NotReady once the API server's grace period passes, and its pods are evicted after that.");
                }

                var result = await NodeUnitService.ChangeAsync(shell, item.Node.Name, unit, Action, Timeout, token).ConfigureAwait(false);
                if (Wait && NodeUnitService.AffectsReadiness(unit))
                {
                    var wantReady = Action != UnitAction.Stop;
                    writer.Verbose($"Waiting for {item.Node.Name} to become {(wantReady ? "Ready" : "NotReady")}.");
                    if (wantReady)
                    {
                        await NodeReadinessWait.UntilKubeletReadyAsync(connection, item.Node.Name, result.Since, Timeout, writer, token).ConfigureAwait(false);
                    }
                    else
                    {
                        await NodeReadinessWait.UntilAsync(
                            connection,
                            item.Node.Name,
                            state => state is NodeReadiness.NotReady or NodeReadiness.Unknown,
                            Timeout,
                            writer,
                            token).ConfigureAwait(false);
                    }
                }

                writer.Object(result);
            }
        }, ct).ConfigureAwait(false);
    }
}
