using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Network;
using Docker.DotNet.Models;

namespace ClusterManagement.Engine.Network.EngineNetworks;

/// <summary>Networks of node engines, reached over SSH and the Engine API; every check runs before the engine is changed.</summary>
internal sealed class EngineNetworkService(NodeConnector connector, IOperationLog log)
{
    public async Task<IReadOnlyList<EngineNetwork>> ListAsync(ClusterNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var session = await OpenAsync(node, timeout, cancellationToken).ConfigureAwait(false);
        return (await session.Engine.ListNetworksAsync(cancellationToken).ConfigureAwait(false)).Select(n => Map(node.Name, n)).ToList();
    }

    /// <summary>Validates the request against the node's networks and pod ranges, asks <paramref name="confirm"/>, then creates.</summary>
    /// <returns>The created network, or null when <paramref name="confirm"/> declined.</returns>
    public async Task<EngineNetwork?> CreateAsync(ClusterNode node, EngineNetworkRequest request, Func<EngineNetworkPlan, Task<bool>> confirm, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var session = await OpenAsync(node, timeout, cancellationToken).ConfigureAwait(false);
        var existing = await session.Engine.ListNetworksAsync(cancellationToken).ConfigureAwait(false);
        var plan = EngineNetworkValidation.Validate(
            request,
            existing.Select(n => (n.Name, (IReadOnlyList<string>)(n.IPAM?.Config?.Select(c => c.Subnet).Where(s => !string.IsNullOrEmpty(s)).ToList() ?? []))).ToList(),
            node.PodCIDRs);
        if (!await confirm(plan).ConfigureAwait(false))
        {
            return null;
        }

        var id = await session.Engine.CreateNetworkAsync(Parameters(plan), cancellationToken).ConfigureAwait(false);
        log.Verbose($"Created network {request.Name} ({id}) on {node.Name}.");
        return Map(node.Name, await session.Engine.InspectNetworkAsync(id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Removes a network; attached containers make it an error unless <paramref name="disconnect"/> (asked only then) allows detaching them first.</summary>
    /// <returns>The network as it was, or null when <paramref name="confirm"/> declined.</returns>
    public async Task<EngineNetwork?> RemoveAsync(ClusterNode node, string name, Func<bool> disconnect, Func<EngineNetwork, Task<bool>> confirm, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var session = await OpenAsync(node, timeout, cancellationToken).ConfigureAwait(false);
        var found = await session.Engine.InspectNetworkAsync(name, cancellationToken).ConfigureAwait(false);
        var network = Map(node.Name, found);
        if (network.Containers.Count > 0 && !disconnect())
        {
            throw new ClusterException(
                ClusterErrors.NetworkInUse,
                $"Network {network.Name} on {node.Name} has containers attached ({string.Join(", ", network.Containers)}); -DisconnectContainers disconnects them first.",
                network.Name);
        }

        if (!await confirm(network).ConfigureAwait(false))
        {
            return null;
        }

        foreach (var container in found.Containers?.Keys ?? [])
        {
            await session.Engine.DisconnectAsync(found.ID, container, cancellationToken).ConfigureAwait(false);
            log.Verbose($"Disconnected container {container} from {network.Name} on {node.Name}.");
        }

        await session.Engine.DeleteNetworkAsync(found.ID, cancellationToken).ConfigureAwait(false);
        return network;
    }

    private async Task<EngineSession> OpenAsync(ClusterNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var endpoint = await connector.EndpointAsync(node, cancellationToken).ConfigureAwait(false);
        var shell = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        try
        {
            return new EngineSession(shell, await EngineClient.OpenAsync(shell, timeout, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            shell.Dispose();
            throw;
        }
    }

    private static NetworksCreateParameters Parameters(EngineNetworkPlan plan) => new()
    {
        Name = plan.Request.Name,
        Driver = plan.Request.Driver,
        Internal = plan.Request.Internal,
        EnableIPv6 = plan.EnableIPv6 ? true : null,
        Labels = plan.Request.Labels.ToDictionary(),
        Options = plan.Request.Options.ToDictionary(),
        IPAM = new IPAM
        {
            Driver = "default",
            Config = plan.Pools.Select(p => new IPAMConfig
            {
                // The models are not annotated for null; an absent field is what the API wants here.
                Subnet = p.Subnet.ToString(),
                Gateway = p.Gateway?.ToString()!,
                IPRange = p.IPRange?.ToString()!,
                AuxAddress = p.AuxAddresses.Count == 0 ? null! : p.AuxAddresses.ToDictionary(),
            }).ToList(),
        },
    };

    private static EngineNetwork Map(string node, NetworkResponse n)
    {
        var config = n.IPAM?.Config ?? [];
        return new EngineNetwork
        {
            Node = node,
            Name = n.Name,
            Id = n.ID,
            Driver = n.Driver,
            Scope = n.Scope,
            Subnets = config.Select(c => c.Subnet).Where(s => !string.IsNullOrEmpty(s)).ToArray(),
            Gateways = config.Select(c => c.Gateway).Where(g => !string.IsNullOrEmpty(g)).ToArray(),
            IPRanges = config.Select(c => c.IPRange).Where(r => !string.IsNullOrEmpty(r)).ToArray(),
            Internal = n.Internal,
            EnableIPv6 = n.EnableIPv6,
            Containers = (n.Containers?.Values.Select(c => c.Name) ?? []).Order(StringComparer.Ordinal).ToArray(),
            Labels = Dictionaries.Sorted(n.Labels),
        };
    }

    private sealed class EngineSession(Engine.NodeHosts.Ssh.NodeShell shell, EngineClient engine) : IDisposable
    {
        public EngineClient Engine => engine;

        public void Dispose()
        {
            engine.Dispose();
            shell.Dispose();
        }
    }
}
