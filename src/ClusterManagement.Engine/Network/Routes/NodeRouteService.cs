using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network.Routes;

/// <summary>
/// The main routing table of node hosts through iproute2 over SSH (reading as the login user,
/// changing through sudo -n), and the distribution's static-route files for routes that must
/// survive a reboot.
/// </summary>
internal sealed class NodeRouteService(NodeConnector connector, IOperationLog log)
{
    private const string Separator = "--clustermanagement-ipv6--";

    public async Task<IReadOnlyList<NodeRoute>> ListAsync(ClusterNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var shell = await ConnectAsync(node, cancellationToken).ConfigureAwait(false);
        return await ReadTableAsync(shell, node.Name, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the request against the node (route not there yet, device present, persistence known), asks <paramref name="confirm"/>, then adds.</summary>
    /// <returns>The route as the kernel shows it, or null when <paramref name="confirm"/> declined.</returns>
    public async Task<NodeRoute?> AddAsync(ClusterNode node, RouteRequest request, bool persist, Func<string, Task<bool>> confirm, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var shell = await ConnectAsync(node, cancellationToken).ConfigureAwait(false);
        var table = await ReadTableAsync(shell, node.Name, timeout, cancellationToken).ConfigureAwait(false);
        if (table.FirstOrDefault(r => r.Destination == request.Destination.ToString() && (request.Metric is null || r.Metric == request.Metric)) is { } existing)
        {
            throw new ClusterException(ClusterErrors.RouteExists, $"{node.Name} already has a route to {existing.Destination} (via {existing.Gateway ?? "-"} dev {existing.Device ?? "-"}{(existing.Metric is { } m ? $" metric {m}" : "")}).", request.Destination.ToString());
        }

        if (request.Device is { } device)
        {
            var link = await shell.RunAsync($"ip -j link show dev {NodeShell.Quote(device)}", timeout, cancellationToken).ConfigureAwait(false);
            if (!link.Succeeded)
            {
                throw new ClusterException(ClusterErrors.DeviceNotFound, $"{node.Name} has no network interface '{device}'.", device);
            }
        }

        var style = persist ? await StyleAsync(shell, node.Name, timeout, cancellationToken).ConfigureAwait(false) : (StaticRouteStyle?)null;
        if (persist)
        {
            // The device names the file: one that cannot be written safely is refused before the route is added.
            InterfaceNames.RequireFileSafe(request.Device ?? await DeviceTowardsAsync(shell, node.Name, request, timeout, cancellationToken).ConfigureAwait(false), node.Name);
        }

        if (!await confirm(request.IpArguments()).ConfigureAwait(false))
        {
            return null;
        }

        var added = await shell.SudoAsync($"ip route add {request.ShellArguments()}", timeout, cancellationToken).ConfigureAwait(false);
        if (!added.Succeeded)
        {
            throw new ClusterException(ClusterErrors.RouteRejected, $"The kernel on {node.Name} refused 'ip route add {request.IpArguments()}': {added.Error.Trim()}", request.Destination.ToString());
        }

        // The kernel picks the device for a gateway-only route and a default metric for IPv6; the
        // route is recorded as the kernel has it, so that Remove-NodeRoute finds the same line.
        var route = (await ReadTableAsync(shell, node.Name, timeout, cancellationToken).ConfigureAwait(false)).FirstOrDefault(request.Matches)
            ?? throw new ClusterException(ClusterErrors.RouteNotListed, $"'ip route add {request.IpArguments()}' succeeded on {node.Name} but the route is not in its table; nothing was persisted.", request.Destination.ToString());
        if (style is not { } chosen)
        {
            return route;
        }

        var path = StaticRouteFiles.PathFor(chosen, route.Device!, route.Family);
        var current = await ReadFileAsync(shell, path, timeout, cancellationToken).ConfigureAwait(false);
        await shell.WriteFileAsync(path, StaticRouteFiles.Add(chosen, current, route.Device!, AsRequest(route)), Mode(chosen), timeout, cancellationToken).ConfigureAwait(false);
        log.Verbose($"Persisted the route to {route.Destination} on {node.Name} in {path}.");
        return Persisted(route, path);
    }

    /// <summary>Removes the one route matching <paramref name="request"/> (and its persisted line with <paramref name="persist"/>).</summary>
    /// <returns>The route as it was, or null when <paramref name="confirm"/> declined.</returns>
    public async Task<NodeRoute?> RemoveAsync(ClusterNode node, RouteRequest request, bool persist, Func<string, Task<bool>> confirm, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var shell = await ConnectAsync(node, cancellationToken).ConfigureAwait(false);
        var matches = (await ReadTableAsync(shell, node.Name, timeout, cancellationToken).ConfigureAwait(false)).Where(request.Matches).ToList();
        var route = matches.Count switch
        {
            0 => throw new ClusterException(ClusterErrors.RouteNotFound, $"{node.Name} has no route {request.IpArguments()}.", request.Destination.ToString()),
            1 => matches[0],
            _ => throw new ClusterException(ClusterErrors.RouteAmbiguous, $"{node.Name} has {matches.Count} routes to {request.Destination}; name the one to remove with -Gateway, -Device or -Metric (or pipe it from Get-NodeRoute).", request.Destination.ToString()),
        };
        var style = persist ? await StyleAsync(shell, node.Name, timeout, cancellationToken).ConfigureAwait(false) : (StaticRouteStyle?)null;
        var exact = AsRequest(route);
        if (!await confirm(exact.IpArguments()).ConfigureAwait(false))
        {
            return null;
        }

        await shell.SudoCheckedAsync($"ip route del {exact.ShellArguments()}", timeout, $"ip route del {exact.IpArguments()}", cancellationToken).ConfigureAwait(false);
        if (style is not { } chosen || route.Device is null)
        {
            return route;
        }

        if (!InterfaceNames.IsFileSafe(route.Device))
        {
            log.Warning($"The route to {route.Destination} on {node.Name} uses the device '{route.Device}', whose name the module never writes into static-route files; only the live route was removed.");
            return route;
        }

        var path = StaticRouteFiles.PathFor(chosen, route.Device, route.Family);
        var current = await ReadFileAsync(shell, path, timeout, cancellationToken).ConfigureAwait(false);
        if (current is null || !StaticRouteFiles.Read(chosen, current).Contains(exact.IpArguments(route.Device), StringComparer.Ordinal))
        {
            log.Warning($"The route to {route.Destination} on {node.Name} was not persisted in {path}; only the live route was removed.");
            return route;
        }

        if (StaticRouteFiles.Remove(chosen, current, route.Device, exact) is { } remaining)
        {
            await shell.WriteFileAsync(path, remaining, Mode(chosen), timeout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await shell.SudoCheckedAsync($"rm -f {NodeShell.Quote(path)}", timeout, $"Removing {path}", cancellationToken).ConfigureAwait(false);
        }

        log.Verbose($"Removed the route to {route.Destination} from {path} on {node.Name}.");
        return Persisted(route, path);
    }

    private Task<NodeShell> ConnectAsync(ClusterNode node, CancellationToken cancellationToken) =>
        connector.ConnectAsync(node, cancellationToken);

    private static async Task<IReadOnlyList<NodeRoute>> ReadTableAsync(NodeShell shell, string node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await shell.RunAsync($"ip -j route show && echo {Separator} && ip -j -6 route show", timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterException(ClusterErrors.RouteListFailed, $"'ip -j route show' failed on {node}: {result.Error.Trim()}", node);
        }

        var parts = result.Output.Split(Separator);
        return [.. IpRouteJson.Parse(parts[0], RouteFamily.IPv4, node), .. IpRouteJson.Parse(parts.Length > 1 ? parts[1] : "", RouteFamily.IPv6, node)];
    }

    /// <summary>The device the kernel would pick for a route through the request's gateway: the one of its route to that gateway.</summary>
    private static async Task<string> DeviceTowardsAsync(NodeShell shell, string node, RouteRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lookup = await shell.RunAsync($"ip -j route get {request.Gateway}", timeout, cancellationToken).ConfigureAwait(false);
        if (!lookup.Succeeded)
        {
            throw new ClusterException(ClusterErrors.RouteRejected, $"{node} has no route to the gateway {request.Gateway}: {lookup.Error.Trim()}", request.Gateway?.ToString());
        }

        return IpRouteJson.Parse(lookup.Output, request.Family, node).FirstOrDefault()?.Device
            ?? throw new ClusterException(ClusterErrors.RouteListUnreadable, $"'ip -j route get {request.Gateway}' on {node} named no device.", node);
    }

    private static async Task<StaticRouteStyle> StyleAsync(NodeShell shell, string node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var probe = await shell.RunAsync(
            $"cat /etc/os-release; echo {Separator}; test -d /etc/netplan && echo netplan; test -d /etc/sysconfig/network-scripts && echo network-scripts; true",
            timeout,
            cancellationToken).ConfigureAwait(false);
        var parts = probe.Output.Split(Separator);
        var dirs = parts.Length > 1 ? parts[1] : "";
        return StaticRouteFiles.StyleFor(parts[0], dirs.Contains("netplan", StringComparison.Ordinal), dirs.Contains("network-scripts", StringComparison.Ordinal), node);
    }

    private static async Task<string?> ReadFileAsync(NodeShell shell, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var read = await shell.SudoAsync($"test -e {NodeShell.Quote(path)} || exit 3; cat {NodeShell.Quote(path)}", timeout, cancellationToken).ConfigureAwait(false);
        return read.ExitCode switch
        {
            0 => read.Output,
            3 => null,
            _ => throw new ClusterException(ClusterErrors.NodeCommandFailed, $"Reading {path} failed on {shell.Target}: {read.Error.Trim()}", path),
        };
    }

    private static RouteRequest AsRequest(NodeRoute route) =>
        new(System.Net.IPNetwork.Parse(route.Destination), route.Gateway is null ? null : System.Net.IPAddress.Parse(route.Gateway), route.Device, route.Metric);

    // netplan warns about (and future versions refuse) files others can read.
    private static string Mode(StaticRouteStyle style) => style == StaticRouteStyle.Netplan ? "0600" : "0644";

    private static NodeRoute Persisted(NodeRoute route, string path) => new()
    {
        Node = route.Node,
        Destination = route.Destination,
        Gateway = route.Gateway,
        Device = route.Device,
        Protocol = route.Protocol,
        Scope = route.Scope,
        Metric = route.Metric,
        Family = route.Family,
        PersistedIn = path,
    };
}
