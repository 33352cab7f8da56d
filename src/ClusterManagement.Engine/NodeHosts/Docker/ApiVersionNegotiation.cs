using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>
/// Docker.DotNet does not negotiate: the module asks the server's /version and pins
/// min(server, client max), so new clients work with old engines and the other way round
/// (docker-machine's fixed API 1.15 is why its `ls` showed Unknown on current engines).
/// </summary>
internal static class ApiVersionNegotiation
{
    /// <summary>The newest API whose models global::Docker.DotNet.Enhanced 4.3.3 carries (Engine 29).</summary>
    public static readonly Version ClientMaximum = new(1, 54);

    public static Version Negotiate(string? serverApiVersion, string? serverMinimumApiVersion, string target)
    {
        if (!Version.TryParse(serverApiVersion, out var server))
        {
            throw new ClusterException(ClusterErrors.EngineVersionUnreadable, $"The engine on {target} reported no usable API version ('{serverApiVersion}').", target);
        }

        var chosen = server < ClientMaximum ? server : ClientMaximum;
        if (Version.TryParse(serverMinimumApiVersion, out var minimum) && chosen < minimum)
        {
            throw new ClusterException(ClusterErrors.EngineApiUnsupported, $"The engine on {target} requires API {minimum} or newer; this module speaks up to {ClientMaximum}.",
                target);
        }

        return chosen;
    }
}
