using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Network.EngineNetworks;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Commands.NodeHosts;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;

namespace ClusterManagement.Commands.Network;

[Cmdlet(VerbsCommon.Get, "NodeNetwork", HelpUri = HelpPages.Docs + "Get-NodeNetwork.md")]
[OutputType(typeof(EngineNetwork))]
public sealed class GetNodeNetworkCommand : NodeNetworkCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EngineNetworkNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing() => RunOnRequestedContexts(async (connection, writer, ct) =>
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new EngineNetworkService(Connector(connection, writer), writer);
        var filter = new NameFilter(Name);
        var results = await RunAllAsync(nodes, writer, async (node, token) => (Node: node.Name, Networks: await service.ListAsync(node, Timeout, token).ConfigureAwait(false)), ct).ConfigureAwait(false);
        foreach (var network in results.SelectMany(r => r.Networks))
        {
            if (filter.Matches(network.Name))
            {
                writer.Object(network);
            }
        }

        foreach (var name in filter.Exact)
        {
            foreach (var result in results.Where(r => !r.Networks.Any(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))))
            {
                writer.Error(ErrorRecords.From(new ClusterException(ClusterErrors.EngineNetworkNotFound, $"Node {result.Node} has no engine network '{name}'.", name)));
            }
        }
    });
}
