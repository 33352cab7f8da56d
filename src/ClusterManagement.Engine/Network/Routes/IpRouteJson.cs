using System.Net.Sockets;
using System.Text.Json;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network.Routes;

/// <summary>Reads <c>ip -j route show</c> (iproute2's JSON): stable field names, unlike the text form that changes between versions.</summary>
internal static class IpRouteJson
{
    public static IReadOnlyList<NodeRoute> Parse(string json, RouteFamily family, string node)
    {
        JsonDocument document;
        try
        {
            // An empty table prints nothing at all on some iproute2 versions.
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        }
        catch (JsonException e)
        {
            throw new ClusterException(ClusterErrors.RouteListUnreadable, $"'ip -j route' on {node} printed something that is not JSON: {e.Message}", node, e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new ClusterException(ClusterErrors.RouteListUnreadable, $"'ip -j route' on {node} did not print a JSON array.", node);
            }

            return document.RootElement.EnumerateArray().Select(r => new NodeRoute
            {
                Node = node,
                Destination = Destination(Text(r, "dst") ?? "default", family),
                Gateway = Text(r, "gateway"),
                Device = Device(r, node),
                Protocol = Text(r, "protocol"),
                Scope = Text(r, "scope"),
                Metric = r.TryGetProperty("metric", out var metric) && metric.ValueKind == JsonValueKind.Number ? metric.GetInt32() : null,
                Family = family,
            }).ToList();
        }
    }

    /// <summary>ip writes "default" and bare host addresses; a CIDR everywhere makes routes comparable.</summary>
    public static string Destination(string dst, RouteFamily family)
    {
        if (dst == "default")
        {
            return family == RouteFamily.IPv4 ? "0.0.0.0/0" : "::/0";
        }

        if (dst.Contains('/'))
        {
            return dst;
        }

        return System.Net.IPAddress.TryParse(dst, out var address)
            ? $"{dst}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}"
            : dst;
    }

    /// <summary>
    /// A name the kernel could not have given a device means the output is not the kernel's table;
    /// it is refused here rather than carried into commands and files.
    /// </summary>
    private static string? Device(JsonElement route, string node)
    {
        var device = Text(route, "dev");
        if (device is not null && InterfaceNames.Problem(device) is { } problem)
        {
            throw new ClusterException(ClusterErrors.RouteListUnreadable, $"'ip -j route' on {node} names a device '{NodeShell.Printable(device)}' that cannot exist ({problem}).", node);
        }

        return device;
    }

    private static string? Text(JsonElement route, string name) =>
        route.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
