using System.Collections;
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

/// <summary>Creates an engine network with address management on nodes; the CIDR arithmetic is checked before the engine is asked.</summary>
[Cmdlet(VerbsCommon.New, "NodeNetwork", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "New-NodeNetwork.md")]
[OutputType(typeof(EngineNetwork))]
public sealed class NewNodeNetworkCommand : NodeNetworkCmdlet
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
    public string Name { get; set; } = "";

    [Parameter]
    [ValidateSet("bridge", "macvlan", "ipvlan")]
    public string Driver { get; set; } = "bridge";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] Subnet { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Gateway { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IPRange { get; set; }

    [Parameter]
    public Hashtable? AuxAddress { get; set; }

    [Parameter]
    public SwitchParameter Internal { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    public Hashtable? Option { get; set; }

    protected override void ProcessRecord() => AddNodes(() => Node);

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void EndProcessing()
    {
        var request = new EngineNetworkRequest
        {
            Name = Name,
            Driver = Driver,
            Subnets = Subnet,
            Gateways = Gateway ?? [],
            IPRanges = IPRange ?? [],
            AuxAddresses = ParameterMaps.Strings(AuxAddress),
            Internal = Internal.IsPresent,
            Labels = ParameterMaps.Strings(Label),
            Options = ParameterMaps.Strings(Option),
        };

        // What does not depend on the node fails once, before any cluster or node is contacted.
        CheckedUpFront(() => { EngineNetworkValidation.Validate(request, [], []); return request; });
        RunOnRequestedContexts(async (connection, writer, ct) => await CreateNetworksAsync(connection, request, writer, ct).ConfigureAwait(false));
    }

    private async Task CreateNetworksAsync(ClusterConnection connection, EngineNetworkRequest request, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new EngineNetworkService(Connector(connection, writer), writer);
        var results = await RunAllAsync(
            nodes,
            writer,
            (node, token) => service.CreateAsync(
                node,
                request,
                plan => writer.ShouldProcessAsync(node.Name, $"Create {Driver} network {Name} ({string.Join(", ", plan.Pools.Select(p => p.Subnet))})"),
                Timeout,
                token),
            ct).ConfigureAwait(false);
        foreach (var network in results)
        {
            writer.Object(network);
        }
    }
}
