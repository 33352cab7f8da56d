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

[Cmdlet(VerbsCommon.Get, "NodeService", HelpUri = HelpPages.Docs + "Get-NodeService.md")]
[OutputType(typeof(NodeUnit))]
public sealed class GetNodeServiceCommand : NodeHostCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeServiceNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing()
    {
        var units = Name ?? NodeUnitService.DefaultUnits;
        CheckedUpFront(() => { NodeUnitService.RequireValidNames(units); return units; });
        RunOnRequestedContexts(async (connection, writer, ct) => await WriteUnitsAsync(connection, units, writer, ct).ConfigureAwait(false));
    }

    private async Task WriteUnitsAsync(ClusterConnection connection, IReadOnlyList<string> units, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var connector = Connector(connection, writer);
        var results = new IReadOnlyList<NodeUnit>?[nodes.Count];
        await ForEachAsync(Enumerable.Range(0, nodes.Count), writer, async (i, token) =>
        {
            using var shell = await connector.ConnectAsync(nodes[i], token).ConfigureAwait(false);
            results[i] = await NodeUnitService.GetAsync(shell, nodes[i].Name, units, Timeout, token).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        foreach (var unit in results.Where(r => r is not null).SelectMany(r => r!))
        {
            writer.Object(unit);
        }
    }
}
