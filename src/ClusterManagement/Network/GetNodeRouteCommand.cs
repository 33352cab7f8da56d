using System.Management.Automation;
using System.Net;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Diagnostics;
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

[Cmdlet(VerbsCommon.Get, "NodeRoute", HelpUri = HelpPages.Docs + "Get-NodeRoute.md")]
[OutputType(typeof(NodeRoute))]
public sealed class GetNodeRouteCommand : NodeNetworkCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing()
    {
        var within = Destination is null ? (IPNetwork?)null : CheckedUpFront(() => Cidr.Parse(Destination, nameof(Destination)));
        RunOnRequestedContexts(async (connection, writer, ct) => await WriteRoutesAsync(connection, within, writer, ct).ConfigureAwait(false));
    }

    private async Task WriteRoutesAsync(ClusterConnection connection, IPNetwork? within, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new NodeRouteService(Connector(connection, writer), writer);
        var results = await RunAllAsync(nodes, writer, (node, token) => service.ListAsync(node, Timeout, token), ct).ConfigureAwait(false);
        foreach (var route in results.SelectMany(r => r))
        {
            if (within is not { } range || (IPNetwork.TryParse(route.Destination, out var destination) && Cidr.Within(destination, range)))
            {
                writer.Object(route);
            }
        }
    }
}
