using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network.Routes;

/// <summary>Where a distribution keeps static routes that come back after a reboot.</summary>
internal enum StaticRouteStyle
{
    /// <summary>Debian and Ubuntu with ifupdown: an interfaces.d stanza with <c>up ip route add</c> lines.</summary>
    Ifupdown,

    /// <summary>Ubuntu with netplan: a YAML file of routes for the device.</summary>
    Netplan,

    /// <summary>RHEL, CentOS, Rocky, Alma, Fedora: route-DEV / route6-DEV in ip's argument syntax.</summary>
    NetworkScripts,
}

/// <summary>
/// The text of the route files, as pure functions: the node's file goes in, the new content comes
/// out. Only lines the module wrote are touched; a route-DEV file an admin also edits keeps their lines.
/// </summary>
internal static class StaticRouteFiles
{
    private const string Header = "# Static routes kept by ClusterManagement (Add-NodeRoute -Persist, Remove-NodeRoute -Persist).";

    public static StaticRouteStyle StyleFor(string osRelease, bool hasNetplan, bool hasNetworkScripts, string node)
    {
        var ids = osRelease.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("ID=", StringComparison.Ordinal) || l.StartsWith("ID_LIKE=", StringComparison.Ordinal))
            .SelectMany(l => l[(l.IndexOf('=') + 1)..].Trim('"', '\'').Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        if (ids.Overlaps(["rhel", "fedora", "centos"]) || hasNetworkScripts)
        {
            return StaticRouteStyle.NetworkScripts;
        }

        if (ids.Overlaps(["debian", "ubuntu"]))
        {
            return hasNetplan ? StaticRouteStyle.Netplan : StaticRouteStyle.Ifupdown;
        }

        throw new ClusterException(ClusterErrors.RoutePersistenceUnsupported, $"{node} is neither of the Debian nor of the RHEL family (/etc/os-release: {string.Join(' ', ids)}); the module does not know where it keeps static routes.", node);
    }

    /// <remarks>The device becomes part of the path and of the file, so it must be <see cref="InterfaceNames.IsFileSafe"/>.</remarks>
    public static string PathFor(StaticRouteStyle style, string device, RouteFamily family)
    {
        InterfaceNames.RequireFileSafe(device);
        return style switch
        {
            StaticRouteStyle.Ifupdown => $"/etc/network/interfaces.d/cm-routes-{device}",
            // 90-: read after the files that define the device, so these routes merge into its definition.
            StaticRouteStyle.Netplan => $"/etc/netplan/90-cm-routes-{device}.yaml",
            _ => family == RouteFamily.IPv4 ? $"/etc/sysconfig/network-scripts/route-{device}" : $"/etc/sysconfig/network-scripts/route6-{device}",
        };
    }

    /// <summary>The file with <paramref name="route"/> added (once: a route already there is not repeated).</summary>
    public static string Add(StaticRouteStyle style, string? text, string device, RouteRequest route)
    {
        var routes = Read(style, text).ToList();
        var line = route.IpArguments(device);
        if (!routes.Contains(line, StringComparer.Ordinal))
        {
            routes.Add(line);
        }

        return Write(style, text, device, routes);
    }

    /// <summary>The file without <paramref name="route"/>; null when no route is left and the file should go.</summary>
    public static string? Remove(StaticRouteStyle style, string? text, string device, RouteRequest route)
    {
        var line = route.IpArguments(device);
        if (style == StaticRouteStyle.NetworkScripts)
        {
            var kept = Lines(text).Where(l => l.Trim() != line && l.Length > 0).ToList();
            return kept.All(l => l.Trim().StartsWith('#')) ? null : string.Join('\n', kept) + "\n";
        }

        var routes = Read(style, text).Where(r => r != line).ToList();
        return routes.Count == 0 ? null : Write(style, text, device, routes);
    }

    /// <summary>The routes a file holds, each in ip's argument syntax.</summary>
    public static IEnumerable<string> Read(StaticRouteStyle style, string? text) => style switch
    {
        StaticRouteStyle.Ifupdown => Lines(text).Select(l => l.Trim()).Where(l => l.StartsWith("up ip route add ", StringComparison.Ordinal)).Select(l => l["up ip route add ".Length..].Trim()),
        StaticRouteStyle.Netplan => ReadNetplan(text),
        _ => Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')),
    };

    private static string Write(StaticRouteStyle style, string? text, string device, IReadOnlyList<string> routes)
    {
        // ifupdown runs the up lines through /bin/sh.
        InterfaceNames.RequireFileSafe(device);
        var output = new StringBuilder();
        switch (style)
        {
            case StaticRouteStyle.Ifupdown:
                // ifupdown merges several stanzas of one interface; "manual" adds no address of its own.
                output.Append(Header).Append('\n').Append($"iface {device} inet manual\n");
                foreach (var route in routes)
                {
                    output.Append($"    up ip route add {route}\n");
                }

                break;
            case StaticRouteStyle.Netplan:
                output.Append(Header).Append('\n').Append("network:\n  version: 2\n  ethernets:\n").Append($"    {device}:\n      routes:\n");
                foreach (var route in routes)
                {
                    var fields = Fields(route);
                    output.Append($"        - to: {fields["to"]}\n");
                    if (fields.TryGetValue("via", out var via))
                    {
                        output.Append($"          via: {via}\n");
                    }
                    else
                    {
                        output.Append("          scope: link\n");
                    }

                    if (fields.TryGetValue("metric", out var metric))
                    {
                        output.Append($"          metric: {metric}\n");
                    }
                }

                break;
            default:
                // The admin's own lines stay; ours are appended after them.
                var lines = Lines(text).Where(l => l.Length > 0).ToList();
                if (lines.Count == 0)
                {
                    lines.Add(Header);
                }

                lines.AddRange(routes.Where(r => !lines.Any(l => l.Trim() == r)));
                output.AppendJoin('\n', lines).Append('\n');
                break;
        }

        return output.ToString();
    }

    /// <summary>Reads back the netplan file this class writes (not netplan YAML in general: the module owns this file).</summary>
    private static IEnumerable<string> ReadNetplan(string? text)
    {
        var device = Lines(text).Select(l => l.TrimEnd()).FirstOrDefault(l => l.StartsWith("    ", StringComparison.Ordinal) && !l.StartsWith("     ", StringComparison.Ordinal) && l.EndsWith(':'))?.Trim().TrimEnd(':');
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Lines(text).Select(l => l.Trim()))
        {
            if (line.StartsWith("- to: ", StringComparison.Ordinal))
            {
                if (current.Count > 0)
                {
                    yield return Render(current, device);
                }

                current = new(StringComparer.Ordinal) { ["to"] = line["- to: ".Length..].Trim() };
            }
            else if (current.Count > 0 && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon)
            {
                current[line[..colon]] = line[(colon + 2)..].Trim();
            }
        }

        if (current.Count > 0)
        {
            yield return Render(current, device);
        }
    }

    private static string Render(Dictionary<string, string> fields, string? device) =>
        string.Join(' ', new[]
        {
            fields["to"],
            fields.TryGetValue("via", out var via) ? $"via {via}" : null,
            device is null ? null : $"dev {device}",
            fields.TryGetValue("metric", out var metric) ? $"metric {metric}" : null,
        }.Where(p => p is not null));

    private static Dictionary<string, string> Fields(string ipArguments)
    {
        var words = ipArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["to"] = words[0] };
        for (var i = 1; i + 1 < words.Length; i += 2)
        {
            fields[words[i]] = words[i + 1];
        }

        return fields;
    }

    private static IEnumerable<string> Lines(string? text) => (text ?? "").Replace("\r\n", "\n").Split('\n');
}
