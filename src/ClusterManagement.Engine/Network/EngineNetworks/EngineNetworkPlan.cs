using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network.EngineNetworks;

/// <summary>What New-NodeNetwork was asked for, as the caller wrote it.</summary>
internal sealed record EngineNetworkRequest
{
    public required string Name { get; init; }
    public string Driver { get; init; } = "bridge";
    public required IReadOnlyList<string> Subnets { get; init; }
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public IReadOnlyList<string> IPRanges { get; init; } = [];
    public IReadOnlyDictionary<string, string> AuxAddresses { get; init; } = new Dictionary<string, string>();
    public bool Internal { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

/// <summary>One IPAM pool of the network to create: a subnet with what belongs inside it.</summary>
internal sealed record IpamPool(IPNetwork Subnet, IPAddress? Gateway, IPNetwork? IPRange, IReadOnlyDictionary<string, string> AuxAddresses);

/// <summary>A request that passed every check, ready for the Engine API.</summary>
internal sealed record EngineNetworkPlan(EngineNetworkRequest Request, IReadOnlyList<IpamPool> Pools)
{
    public bool EnableIPv6 => Pools.Any(p => p.Subnet.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6);
}

/// <summary>
/// Checks a network request against the CIDR arithmetic and what the node already has, so that a
/// mistake is reported before the engine is asked for anything (the engine's own errors name
/// neither the parameter nor the network in the way).
/// </summary>
internal static partial class EngineNetworkValidation
{
    public static readonly string[] Drivers = ["bridge", "macvlan", "ipvlan"];

    /// <param name="existingNetworks">The node engine's networks with their subnets.</param>
    /// <param name="podCidrs">The node's pod ranges (from its Node object).</param>
    public static EngineNetworkPlan Validate(
        EngineNetworkRequest request,
        IReadOnlyList<(string Name, IReadOnlyList<string> Subnets)> existingNetworks,
        IReadOnlyList<string> podCidrs)
    {
        if (!NamePattern().IsMatch(request.Name))
        {
            throw new ClusterException(ClusterErrors.NetworkNameInvalid, $"-Name: '{request.Name}' is not a valid engine network name (letters, digits, '_', '.', '-', starting with a letter or digit).", request.Name);
        }

        if (!Drivers.Contains(request.Driver, StringComparer.Ordinal))
        {
            throw new ClusterException(ClusterErrors.NetworkDriverUnsupported, $"-Driver: '{request.Driver}' is not one of {string.Join(", ", Drivers)}.", request.Driver);
        }

        // Without a parent the engine gives macvlan/ipvlan a dummy link that reaches nothing: only
        // an -Internal network may do without one.
        if (request.Driver != "bridge" && !request.Internal && !request.Options.ContainsKey("parent"))
        {
            throw new ClusterException(ClusterErrors.ParentInterfaceRequired, $"-Driver {request.Driver} needs the host interface to attach to: -Option @{{ parent = 'eth0' }} (or -Internal for a network without one).", request.Name);
        }

        if (existingNetworks.FirstOrDefault(n => string.Equals(n.Name, request.Name, StringComparison.Ordinal)) is { Name: not null } same)
        {
            throw new ClusterException(ClusterErrors.NetworkNameExists, $"The node's engine already has a network named '{same.Name}'.", request.Name);
        }

        if (request.Subnets.Count == 0)
        {
            throw new ClusterException(ClusterErrors.SubnetRequired, "-Subnet: give at least one subnet.", request.Name);
        }

        var subnets = request.Subnets.Select(s => Cidr.Parse(s, "Subnet")).ToList();
        for (var i = 0; i < subnets.Count; i++)
        {
            for (var j = i + 1; j < subnets.Count; j++)
            {
                if (Cidr.Overlaps(subnets[i], subnets[j]))
                {
                    throw new ClusterException(ClusterErrors.SubnetsOverlap, $"-Subnet: {subnets[i]} and {subnets[j]} overlap each other.", subnets[j].ToString());
                }
            }
        }

        var taken = existingNetworks.SelectMany(n => n.Subnets.Select(s => (Owner: $"network '{n.Name}'", Cidr: s)))
            .Concat(podCidrs.Select(c => (Owner: "the node's pod CIDR", Cidr: c)));
        foreach (var (owner, text) in taken)
        {
            if (!IPNetwork.TryParse(text, out var range))
            {
                continue;
            }

            foreach (var subnet in subnets.Where(s => Cidr.Overlaps(s, range)))
            {
                var error = owner.StartsWith("network", StringComparison.Ordinal) ? ClusterErrors.SubnetOverlapsNetwork : ClusterErrors.SubnetOverlapsPodCidr;
                throw new ClusterException(error, $"-Subnet: {subnet} overlaps {text} of {owner}.", subnet.ToString());
            }
        }

        var gateways = new Dictionary<IPNetwork, IPAddress>();
        foreach (var text in request.Gateways)
        {
            var gateway = Cidr.ParseAddress(text, "Gateway");
            var subnet = SubnetOf(subnets, gateway)
                ?? throw new ClusterException(ClusterErrors.GatewayOutsideSubnet, $"-Gateway: {gateway} is not inside any of the subnets ({string.Join(", ", subnets)}).", text);
            if (gateway.AddressFamily == AddressFamily.InterNetwork && subnet.PrefixLength < 31 && (gateway.Equals(subnet.BaseAddress) || gateway.Equals(Broadcast(subnet))))
            {
                throw new ClusterException(ClusterErrors.GatewayNotUsable, $"-Gateway: {gateway} is the {(gateway.Equals(subnet.BaseAddress) ? "network" : "broadcast")} address of {subnet}, not a host address.", text);
            }

            if (gateway.AddressFamily == AddressFamily.InterNetworkV6 && gateway.Equals(subnet.BaseAddress))
            {
                throw new ClusterException(ClusterErrors.GatewayNotUsable, $"-Gateway: {gateway} is the subnet-router anycast address of {subnet}, not a host address.", text);
            }

            if (!gateways.TryAdd(subnet, gateway))
            {
                throw new ClusterException(ClusterErrors.GatewayDuplicate, $"-Gateway: {subnet} has two gateways, {gateways[subnet]} and {gateway}; a subnet has one.", text);
            }
        }

        var ranges = new Dictionary<IPNetwork, IPNetwork>();
        foreach (var text in request.IPRanges)
        {
            var range = Cidr.Parse(text, "IPRange");
            var subnet = subnets.Where(s => Cidr.Within(range, s)).Select(s => (IPNetwork?)s).FirstOrDefault()
                ?? throw new ClusterException(ClusterErrors.IPRangeOutsideSubnet, $"-IPRange: {range} is not inside any of the subnets ({string.Join(", ", subnets)}).", text);

            if (!ranges.TryAdd(subnet, range))
            {
                throw new ClusterException(ClusterErrors.IPRangeDuplicate, $"-IPRange: {subnet} has two ranges, {ranges[subnet]} and {range}; the engine takes one per subnet.", text);
            }
        }

        var aux = subnets.ToDictionary(s => s, _ => new Dictionary<string, string>(StringComparer.Ordinal));
        foreach (var (host, text) in request.AuxAddresses)
        {
            var address = Cidr.ParseAddress(text, "AuxAddress");
            var subnet = SubnetOf(subnets, address)
                ?? throw new ClusterException(ClusterErrors.AuxAddressOutsideSubnet, $"-AuxAddress: {host} = {address} is not inside any of the subnets ({string.Join(", ", subnets)}).", text);
            aux[subnet][host] = address.ToString();
        }

        var pools = subnets.Select(s => new IpamPool(s, gateways.GetValueOrDefault(s), ranges.TryGetValue(s, out var r) ? r : null, aux[s])).ToList();
        return new EngineNetworkPlan(request, pools);
    }

    private static IPNetwork? SubnetOf(IEnumerable<IPNetwork> subnets, IPAddress address) =>
        subnets.Where(s => s.BaseAddress.AddressFamily == address.AddressFamily && s.Contains(address)).Select(s => (IPNetwork?)s).FirstOrDefault();

    private static IPAddress Broadcast(IPNetwork subnet)
    {
        var bytes = subnet.BaseAddress.GetAddressBytes();
        for (var bit = subnet.PrefixLength; bit < 32; bit++)
        {
            bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();
}
