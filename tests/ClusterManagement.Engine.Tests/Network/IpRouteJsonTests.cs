using ClusterManagement.Diagnostics;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;
using ClusterManagement.Engine.Network.Routes;

namespace ClusterManagement.Tests.Network;

public sealed class IpRouteJsonTests
{
    // Printed by iproute2 6.1 (Debian 12) on a node with a default route, a connected network and added routes.
    private const string IPv4 = """
        [{"dst":"default","gateway":"198.18.200.1","dev":"eth0","flags":[]},
         {"dst":"198.18.200.0/30","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"198.18.200.2","flags":[]},
         {"dst":"198.18.211.0/24","dev":"eth0","scope":"link","metric":50,"flags":[]},
         {"dst":"198.18.212.7","gateway":"198.18.200.1","dev":"eth0","protocol":"static","flags":["onlink"]}]
        """;

    private const string IPv6 = """
        [{"dst":"fd00:198:18:200::/64","dev":"eth0","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},
         {"dst":"fd00:198:18:210::/64","gateway":"fd00:198:18:200::1","dev":"eth0","metric":1024,"flags":[],"pref":"medium"},
         {"dst":"default","gateway":"fe80::1","dev":"eth0","protocol":"ra","metric":1024,"flags":[],"pref":"medium"}]
        """;

    [Fact]
    public void ReadsEveryField()
    {
        var routes = IpRouteJson.Parse(IPv4, RouteFamily.IPv4, "router-1");
        Assert.Equal(4, routes.Count);
        var link = routes[1];
        Assert.Equal("router-1", link.Node);
        Assert.Equal("198.18.200.0/30", link.Destination);
        Assert.Null(link.Gateway);
        Assert.Equal("eth0", link.Device);
        Assert.Equal("kernel", link.Protocol);
        Assert.Equal("link", link.Scope);
        Assert.Null(link.Metric);
        Assert.Equal(RouteFamily.IPv4, link.Family);
        Assert.Equal(50, routes[2].Metric);
        Assert.Equal("static", routes[3].Protocol);
    }

    [Fact]
    public void WritesDefaultAndHostRoutesAsCidrs()
    {
        var v4 = IpRouteJson.Parse(IPv4, RouteFamily.IPv4, "router-1");
        Assert.Equal("0.0.0.0/0", v4[0].Destination);
        Assert.Equal("198.18.200.1", v4[0].Gateway);
        Assert.Equal("198.18.212.7/32", v4[3].Destination);
        var v6 = IpRouteJson.Parse(IPv6, RouteFamily.IPv6, "router-1");
        Assert.Equal("::/0", v6[2].Destination);
        Assert.Equal("fe80::1", v6[2].Gateway);
        Assert.Equal(RouteFamily.IPv6, v6[1].Family);
        Assert.Equal(1024, v6[1].Metric);
        Assert.Equal("fd00:198:18:210::/64", v6[1].Destination);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("[]")]
    public void AnEmptyTableIsNoRoutes(string json) => Assert.Empty(IpRouteJson.Parse(json, RouteFamily.IPv6, "router-1"));

    [Theory]
    [InlineData("Error: ipv6 disabled")]
    [InlineData("{\"dst\":\"default\"}")]
    public void SomethingElseIsAnError(string output)
    {
        var error = Assert.Throws<ClusterException>(() => IpRouteJson.Parse(output, RouteFamily.IPv4, "router-1"));
        Assert.Equal("RouteListUnreadable", error.ErrorId);
    }

    [Fact]
    public void KeepsADeviceNameWithShellSyntaxAsData()
    {
        // iproute2 escapes the name as JSON; the kernel allows "$(...)" and ";" in it.
        var route = Assert.Single(IpRouteJson.Parse("""[{"dst":"198.18.215.0/24","dev":"x$(>pw);`id`","scope":"link","flags":[]}]""", RouteFamily.IPv4, "router-1"));
        Assert.Equal("x$(>pw);`id`", route.Device);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("eth0\\nip")]
    [InlineData("eth0:1")]
    [InlineData("sixteen-bytes-xx")]
    [InlineData("..")]
    [InlineData("")]
    public void RefusesADeviceNameTheKernelCannotHaveGiven(string device)
    {
        var json = $$"""[{"dst":"198.18.215.0/24","dev":"{{device}}","flags":[]}]""";
        var error = Assert.Throws<ClusterException>(() => IpRouteJson.Parse(json, RouteFamily.IPv4, "router-1"));
        Assert.Equal("RouteListUnreadable", error.ErrorId);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }
}
