using System.Net;
using System.Net.Sockets;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network.Routes;

/// <summary>A route to add or remove, checked: a CIDR destination, a gateway of the same family, a device name the kernel would accept.</summary>
internal sealed record RouteRequest(IPNetwork Destination, IPAddress? Gateway, string? Device, int? Metric)
{
    public RouteFamily Family => Destination.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? RouteFamily.IPv4 : RouteFamily.IPv6;

    /// <param name="requireTarget">Adding needs a gateway or a device; removing finds the route by its destination alone.</param>
    public static RouteRequest Create(string destination, string? gateway, string? device, int? metric, bool requireTarget = true)
    {
        var network = Cidr.Parse(destination, "Destination");
        if (requireTarget && gateway is null && device is null)
        {
            throw new ClusterException(ClusterErrors.RouteTargetMissing, $"A route to {network} needs -Gateway, -Device or both.", destination);
        }

        IPAddress? via = null;
        if (gateway is not null)
        {
            via = Cidr.ParseAddress(gateway, "Gateway");
            if (via.AddressFamily != network.BaseAddress.AddressFamily)
            {
                throw new ClusterException(ClusterErrors.GatewayFamilyMismatch, $"-Gateway: {via} is an {Cidr.Family(via)} address but {network} is an {Cidr.Family(network.BaseAddress)} destination.", gateway);
            }
        }

        if (device is not null && InterfaceNames.Problem(device) is { } problem)
        {
            throw new ClusterException(ClusterErrors.DeviceInvalid, $"-Device: '{NodeShell.Printable(device)}' is not an interface name: {problem}.", device);
        }

        if (metric is < 0)
        {
            throw new ClusterException(ClusterErrors.MetricInvalid, $"-Metric: {metric} is negative.", metric);
        }

        return new RouteRequest(network, via, device, metric);
    }

    /// <summary>The route in ip's own syntax, as the persistence files and messages show it.</summary>
    public string IpArguments(string? device = null) => Arguments(device, dev => dev);

    /// <summary>
    /// The route as words of an `ip route add|del` command line. The device is quoted: any name the
    /// kernel accepts, "$(x)" or ";" included, may come from the node's own table.
    /// </summary>
    public string ShellArguments() => Arguments(null, NodeShell.Quote);

    private string Arguments(string? device, Func<string, string> word) =>
        string.Join(' ', new[]
        {
            Destination.ToString(),
            Gateway is null ? null : $"via {Gateway}",
            (device ?? Device) is { } dev ? $"dev {word(dev)}" : null,
            Metric is { } m ? $"metric {m}" : null,
        }.Where(p => p is not null));

    /// <summary>Whether <paramref name="route"/> from the table is this one (same destination, and same gateway, device and metric where given).</summary>
    public bool Matches(NodeRoute route) =>
        route.Destination == Destination.ToString()
        && (Gateway is null || Gateway.ToString() == route.Gateway)
        && (Device is null || Device == route.Device)
        && (Metric is null || Metric == route.Metric);
}
