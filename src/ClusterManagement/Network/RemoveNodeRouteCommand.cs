using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Network.Routes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Commands.NodeHosts;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;

namespace ClusterManagement.Commands.Network;

/// <summary>Removes routes from node hosts (NodeRoute objects from Get-NodeRoute bind by property); -Persist also removes the persisted line.</summary>
[Cmdlet(VerbsCommon.Remove, "NodeRoute", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Remove-NodeRoute.md")]
[OutputType(typeof(NodeRoute))]
public sealed class RemoveNodeRouteCommand : NodeNetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Gateway { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Device { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Metric { get; set; }

    [Parameter]
    public SwitchParameter Persist { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly List<(string Context, string Node, RouteRequest Route)> targets = [];

    protected override bool ForceRequested => Force.IsPresent;

    protected override void ProcessRecord()
    {
        var contexts = AddNodes(() => Node);
        // Checked per record, so a bad one is reported before any route is removed.
        var route = CheckedUpFront(() => RouteRequest.Create(Destination, string.IsNullOrEmpty(Gateway) ? null : Gateway, string.IsNullOrEmpty(Device) ? null : Device, Metric, requireTarget: false));
        targets.AddRange(contexts.SelectMany(context => Node.Select(node => (context, node, route))));
    }

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void EndProcessing() => RunOnRequestedContexts(RemoveRoutesAsync);

    private async Task RemoveRoutesAsync(ClusterConnection connection, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new NodeRouteService(Connector(connection, writer), writer);
        var work = targets.Where(t => AskedIn(t.Context, connection)).Select(t => (Node: nodes.FirstOrDefault(n => n.Name == t.Node), t.Route)).Where(t => t.Node is not null).ToList();
        // Routes of one node one after the other: each removal reads the table the previous one left.
        var results = await RunAllAsync(work.GroupBy(w => w.Node!.Name).ToList(), writer, async (group, token) =>
        {
            var removed = new List<NodeRoute>();
            foreach (var (node, route) in group)
            {
                try
                {
                    removed.AddRange(await service.RemoveAsync(
                        node!,
                        route,
                        Persist.IsPresent,
                        args => writer.ShouldProcessAsync(node!.Name, $"ip route del {args}{(Persist ? " (and its persisted line)" : "")}"),
                        Timeout,
                        token).ConfigureAwait(false) is { } done ? [done] : []);
                }
                catch (ClusterException e)
                {
                    writer.Error(ErrorRecords.From(e));
                }
            }

            return removed;
        }, ct).ConfigureAwait(false);
        if (PassThru)
        {
            foreach (var route in results.SelectMany(r => r))
            {
                writer.Object(route);
            }
        }
    }
}
