using System.Net;
using System.Net.Sockets;
using ClusterManagement.Diagnostics;
using ClusterManagement.Network;

namespace ClusterManagement.Engine.Network;

/// <summary>
/// CIDR arithmetic for IPv4 and IPv6, strict the way Docker and Kubernetes are: a network address
/// with host bits set ("10.0.0.1/24") is a mistake worth naming, not something to round silently.
/// </summary>
internal static class Cidr
{
    public static IPNetwork Parse(string text, string parameter)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || !int.TryParse(text[(slash + 1)..], out var prefix))
        {
            throw Invalid(parameter, text, $"'{text}' is not a CIDR: write an address and a prefix length, such as 198.18.0.0/24 or fd00:198:18::/64.");
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix < 0 || prefix > bits)
        {
            throw Invalid(parameter, text, $"'{text}' has prefix length {prefix}; an {Family(address)} prefix is 0 to {bits}.");
        }

        var network = new IPNetwork(Mask(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw Invalid(parameter, text, $"'{text}' has host bits set; the network is {network}.");
        }

        return network;
    }

    public static IPAddress ParseAddress(string text, string parameter) =>
        IPAddress.TryParse(text, out var address) && !text.Contains('/')
            ? address
            : throw Invalid(parameter, text, $"'{text}' is not an IP address.");

    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>Whether <paramref name="inner"/> lies wholly inside <paramref name="outer"/>.</summary>
    public static bool Within(IPNetwork inner, IPNetwork outer) =>
        inner.BaseAddress.AddressFamily == outer.BaseAddress.AddressFamily && inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);

    public static string Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static ClusterException Invalid(string parameter, string value, string message) =>
        new(ClusterErrors.CidrInvalid, $"-{parameter}: {message}", value);
}
