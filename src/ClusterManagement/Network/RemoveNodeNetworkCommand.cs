using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
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

/// <summary>Removes engine networks; one with containers attached stays unless -DisconnectContainers.</summary>
[Cmdlet(VerbsCommon.Remove, "NodeNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Remove-NodeNetwork.md")]
[OutputType(typeof(EngineNetwork))]
public sealed class RemoveNodeNetworkCommand : NodeNetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(EngineNetworkNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter DisconnectContainers { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly List<(string Context, string Node, string Name)> targets = [];

    protected override bool ForceRequested => Force.IsPresent;

    protected override void ProcessRecord()
    {
        foreach (var context in AddNodes(() => Node))
        {
            foreach (var node in Node)
            {
                targets.AddRange(Name.Select(n => (context, node, n)).Where(t => !targets.Contains(t)));
            }
        }
    }

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void EndProcessing() => RunOnRequestedContexts(RemoveNetworksAsync);

    private async Task RemoveNetworksAsync(ClusterConnection connection, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new EngineNetworkService(Connector(connection, writer), writer);
        var work = targets.Where(t => AskedIn(t.Context, connection)).Select(t => (Node: nodes.FirstOrDefault(n => n.Name == t.Node), t.Name)).Where(t => t.Node is not null).ToList();
        var results = await RunAllAsync(
            work,
            writer,
            (target, token) => service.RemoveAsync(
                target.Node!,
                target.Name,
                () => DestructiveSwitchInEffect(nameof(DisconnectContainers), "disconnects the containers attached to a network", writer),
                network => writer.ShouldProcessAsync(
                    $"{network.Name} on {network.Node}",
                    network.Containers.Count > 0 ? $"Disconnect {network.Containers.Count} container(s) and remove network" : "Remove network"),
                Timeout,
                token),
            ct).ConfigureAwait(false);
        if (PassThru)
        {
            foreach (var network in results)
            {
                writer.Object(network);
            }
        }
    }
}
