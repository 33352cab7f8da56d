using ClusterManagement.Diagnostics;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;
using ClusterManagement.Engine.Network.Routes;
using ClusterManagement.Tests.NodeHosts;

namespace ClusterManagement.Tests.Network;

public sealed class RouteRequestTests
{
    [Theory]
    [InlineData("198.18.210.0/24", "198.18.200.1", null, null, "198.18.210.0/24 via 198.18.200.1")]
    [InlineData("198.18.210.0/24", null, "eth0", 50, "198.18.210.0/24 dev eth0 metric 50")]
    [InlineData("198.18.210.0/24", "198.18.200.1", "eth0", null, "198.18.210.0/24 via 198.18.200.1 dev eth0")]
    [InlineData("fd00:198:18:210::/64", "fd00:198:18:200::1", null, null, "fd00:198:18:210::/64 via fd00:198:18:200::1")]
    [InlineData("0.0.0.0/0", "198.18.200.1", null, null, "0.0.0.0/0 via 198.18.200.1")]
    public void WritesIpSyntax(string destination, string? gateway, string? device, int? metric, string expected) =>
        Assert.Equal(expected, RouteRequest.Create(destination, gateway, device, metric).IpArguments());

    [Fact]
    public void KnowsItsFamily()
    {
        Assert.Equal(RouteFamily.IPv4, RouteRequest.Create("198.18.210.0/24", null, "eth0", null).Family);
        Assert.Equal(RouteFamily.IPv6, RouteRequest.Create("fd00:198:18::/48", null, "eth0", null).Family);
    }

    [Theory]
    [InlineData("198.18.210.0", "198.18.200.1", null, "CidrInvalid")]
    [InlineData("198.18.210.1/24", "198.18.200.1", null, "CidrInvalid")]
    [InlineData("198.18.210.0/24", "gateway", null, "CidrInvalid")]
    [InlineData("198.18.210.0/24", "fd00:198:18:200::1", null, "GatewayFamilyMismatch")]
    [InlineData("fd00:198:18:210::/64", "198.18.200.1", null, "GatewayFamilyMismatch")]
    [InlineData("198.18.210.0/24", null, null, "RouteTargetMissing")]
    [InlineData("198.18.210.0/24", null, "eth0; reboot", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "a-name-far-too-long", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "$(touch pwned)", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "eth0\ntouch", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "eth0:1", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "../etc", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "..", "DeviceInvalid")]
    [InlineData("198.18.210.0/24", null, "", "DeviceInvalid")]
    public void RefusesBadInput(string destination, string? gateway, string? device, string errorId)
    {
        var error = Assert.Throws<ClusterException>(() => RouteRequest.Create(destination, gateway, device, null));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ClusterErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void RemovalFindsARouteByItsDestinationAlone() =>
        Assert.Equal("198.18.210.0/24", RouteRequest.Create("198.18.210.0/24", null, null, null, requireTarget: false).IpArguments());

    [Fact]
    public void MatchesOnWhatWasGiven()
    {
        var route = new NodeRoute { Node = "n", Destination = "198.18.210.0/24", Gateway = "198.18.200.1", Device = "eth0", Metric = 50, Family = RouteFamily.IPv4 };
        Assert.True(RouteRequest.Create("198.18.210.0/24", null, null, null, requireTarget: false).Matches(route));
        Assert.True(RouteRequest.Create("198.18.210.0/24", "198.18.200.1", "eth0", 50).Matches(route));
        Assert.False(RouteRequest.Create("198.18.210.0/24", "198.18.200.2", null, null).Matches(route));
        Assert.False(RouteRequest.Create("198.18.210.0/24", null, "eth1", null).Matches(route));
        Assert.False(RouteRequest.Create("198.18.210.0/24", null, "eth0", 10).Matches(route));
        Assert.False(RouteRequest.Create("198.18.211.0/24", null, "eth0", null).Matches(route));
    }

    /// <summary>Names the kernel accepts (iproute2 creates them), shell syntax included: ip gets each as one word.</summary>
    [Theory]
    [InlineData("eth0")]
    [InlineData("$(>pwned)")]
    [InlineData("x;>pwned")]
    [InlineData("`>pwned`")]
    [InlineData("q'$(>pwned)")]
    [InlineData("q\"$(>pwned)")]
    [InlineData("-x")]
    [InlineData("$IFS>pwned")]
    [InlineData("x|>pwned&")]
    public void HandsIpADeviceNameAsOneWord(string device)
    {
        var route = RouteRequest.Create("198.18.210.0/24", "198.18.200.1", device, 5);
        using var run = ShellStub.Run($"ip route del {route.ShellArguments()}", "ip");
        Assert.Equal(["ip", "route", "del", "198.18.210.0/24", "via", "198.18.200.1", "dev", device, "metric", "5"], Assert.Single(run.Calls));
        Assert.Empty(run.Files);
    }
}
