using System.Collections;
using System.Management.Automation;
using ClusterManagement.Infrastructure;
using ClusterManagement.Network.EngineNetworks;
using ClusterManagement.NodeHosts;
using ClusterManagement.Nodes;

namespace ClusterManagement.Network;

/// <summary>Creates an engine network with address management on nodes; the CIDR arithmetic is checked before the engine is asked.</summary>
[Cmdlet(VerbsCommon.New, "NodeNetwork", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "New-NodeNetwork.md")]
[OutputType(typeof(EngineNetwork))]
public sealed class NewNodeNetworkCommand : NodeNetworkCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    /// <summary>
    /// <para type="description">The nodes whose engines get the network (names, or ClusterNode objects from the pipeline).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    /// <summary>
    /// <para type="description">The network's name, unique on each engine.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>
    /// <para type="description">The network driver: bridge (default), macvlan or ipvlan. macvlan and ipvlan need -Option @{ parent = 'IF' } unless -Internal.</para>
    /// </summary>
    [Parameter]
    [ValidateSet("bridge", "macvlan", "ipvlan")]
    public string Driver { get; set; } = "bridge";

    /// <summary>
    /// <para type="description">The subnets in CIDR notation, IPv4 and/or IPv6 (an IPv6 subnet enables IPv6 on the network).</para>
    /// </summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] Subnet { get; set; } = [];

    /// <summary>
    /// <para type="description">Gateway addresses, at most one per subnet, each a host address inside its subnet.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Gateway { get; set; }

    /// <summary>
    /// <para type="description">The ranges containers get addresses from, in CIDR notation, at most one per subnet, each inside its subnet.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? IPRange { get; set; }

    /// <summary>
    /// <para type="description">Addresses the engine must not give to containers, as host name = address; each inside a subnet.</para>
    /// </summary>
    [Parameter]
    public Hashtable? AuxAddress { get; set; }

    /// <summary>
    /// <para type="description">Creates a network without outside access.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Internal { get; set; }

    /// <summary>
    /// <para type="description">Labels to put on the network.</para>
    /// </summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>
    /// <para type="description">Driver options, such as com.docker.network.bridge.enable_ip_masquerade = 'false' or parent = 'eth0'.</para>
    /// </summary>
    [Parameter]
    public Hashtable? Option { get; set; }

    protected override void ProcessRecord() => AddNodes(Node);

    protected override void EndProcessing() => Run(async (writer, ct) =>
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

        // What does not depend on the node fails once, before any node is contacted.
        EngineNetworkValidation.Validate(request, [], []);
        var nodes = await ResolveNodesAsync(Connect(), writer, allWhenNone: false, ct).ConfigureAwait(false);
        var service = new EngineNetworkService(Connector(writer), writer);
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
    });
}
