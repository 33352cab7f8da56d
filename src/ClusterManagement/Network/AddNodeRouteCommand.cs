using System.Management.Automation;
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

/// <summary>Adds a route to node hosts' main routing table with ip route over SSH; -Persist also writes it where the distribution keeps static routes.</summary>
[Cmdlet(VerbsCommon.Add, "NodeRoute", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "Add-NodeRoute.md")]
[OutputType(typeof(NodeRoute))]
public sealed class AddNodeRouteCommand : NodeNetworkCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Device { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Metric { get; set; }

    [Parameter]
    public SwitchParameter Persist { get; set; }

    protected override void ProcessRecord() => AddNodes(() => Node);

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void EndProcessing()
    {
        var request = CheckedUpFront(() => RouteRequest.Create(Destination, Gateway, Device, Metric));
        RunOnRequestedContexts(async (connection, writer, ct) => await AddRoutesAsync(connection, request, writer, ct).ConfigureAwait(false));
    }

    private async Task AddRoutesAsync(ClusterConnection connection, RouteRequest request, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new NodeRouteService(Connector(connection, writer), writer);
        var results = await RunAllAsync(
            nodes,
            writer,
            (node, token) => service.AddAsync(
                node,
                request,
                Persist.IsPresent,
                route => writer.ShouldProcessAsync(node.Name, $"ip route add {route}{(Persist ? " (and persist it)" : "")}"),
                Timeout,
                token),
            ct).ConfigureAwait(false);
        foreach (var route in results)
        {
            writer.Object(route);
        }
    }
}
