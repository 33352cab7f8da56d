using ClusterManagement.Diagnostics;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;
using ClusterManagement.Engine.Network.Routes;

namespace ClusterManagement.Tests.Network;

public sealed class StaticRouteFilesTests
{
    private static readonly RouteRequest ViaGateway = RouteRequest.Create("198.18.210.0/24", "198.18.200.1", "eth0", null);
    private static readonly RouteRequest OnLink = RouteRequest.Create("198.18.211.0/24", null, "eth0", 50);
    private static readonly RouteRequest IPv6 = RouteRequest.Create("fd00:198:18:210::/64", "fd00:198:18:200::1", "eth0", 1024);

    [Theory]
    [InlineData("ID=debian\nVERSION_ID=\"12\"\n", false, false, nameof(StaticRouteStyle.Ifupdown))]
    [InlineData("ID=ubuntu\nID_LIKE=debian\n", true, false, nameof(StaticRouteStyle.Netplan))]
    [InlineData("ID=ubuntu\nID_LIKE=debian\n", false, false, nameof(StaticRouteStyle.Ifupdown))]
    [InlineData("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", false, true, nameof(StaticRouteStyle.NetworkScripts))]
    [InlineData("ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\n", false, false, nameof(StaticRouteStyle.NetworkScripts))]
    [InlineData("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", false, false, nameof(StaticRouteStyle.Ifupdown))]
    public void PicksWhereTheDistributionKeepsRoutes(string osRelease, bool netplan, bool networkScripts, string expected) =>
        Assert.Equal(Enum.Parse<StaticRouteStyle>(expected), StaticRouteFiles.StyleFor(osRelease, netplan, networkScripts, "node-1"));

    [Fact]
    public void RefusesADistributionItDoesNotKnow()
    {
        var error = Assert.Throws<ClusterException>(() => StaticRouteFiles.StyleFor("ID=alpine\n", false, false, "node-1"));
        Assert.Equal("RoutePersistenceUnsupported", error.ErrorId);
        Assert.Contains("alpine", error.Message);
    }

    [Theory]
    [InlineData(nameof(StaticRouteStyle.Ifupdown), RouteFamily.IPv4, "/etc/network/interfaces.d/cm-routes-eth0")]
    [InlineData(nameof(StaticRouteStyle.Ifupdown), RouteFamily.IPv6, "/etc/network/interfaces.d/cm-routes-eth0")]
    [InlineData(nameof(StaticRouteStyle.Netplan), RouteFamily.IPv6, "/etc/netplan/90-cm-routes-eth0.yaml")]
    [InlineData(nameof(StaticRouteStyle.NetworkScripts), RouteFamily.IPv4, "/etc/sysconfig/network-scripts/route-eth0")]
    [InlineData(nameof(StaticRouteStyle.NetworkScripts), RouteFamily.IPv6, "/etc/sysconfig/network-scripts/route6-eth0")]
    public void NamesTheFile(string style, RouteFamily family, string path) =>
        Assert.Equal(path, StaticRouteFiles.PathFor(Enum.Parse<StaticRouteStyle>(style), "eth0", family));

    /// <summary>Legal interface names that must not become part of a path or of a file ifupdown runs through /bin/sh.</summary>
    [Theory]
    [InlineData("$(>pwned)")]
    [InlineData("x;>pwned")]
    [InlineData("`id`")]
    [InlineData("q'x")]
    [InlineData("-x")]
    [InlineData(".hidden")]
    [InlineData("veth1@if5")]
    public void RefusesToPersistARouteOfADeviceWhoseNameIsNotPlain(string device)
    {
        var route = RouteRequest.Create("198.18.215.0/24", null, device, null);
        foreach (var style in Enum.GetValues<StaticRouteStyle>())
        {
            Assert.Equal("DeviceNotPersistable", Assert.Throws<ClusterException>(() => StaticRouteFiles.PathFor(style, device, RouteFamily.IPv4)).ErrorId);
            Assert.Equal("DeviceNotPersistable", Assert.Throws<ClusterException>(() => StaticRouteFiles.Add(style, null, device, route)).ErrorId);
        }
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("enp0s31f6")]
    [InlineData("br-1a2b3c")]
    [InlineData("eth0.100")]
    [InlineData("wg_0")]
    public void PersistsARouteOfAPlainlyNamedDevice(string device) =>
        Assert.Contains($"cm-routes-{device}", StaticRouteFiles.PathFor(StaticRouteStyle.Ifupdown, device, RouteFamily.IPv4), StringComparison.Ordinal);

    [Fact]
    public void WritesAnIfupdownStanzaWithUpLines()
    {
        var text = StaticRouteFiles.Add(StaticRouteStyle.Ifupdown, null, "eth0", ViaGateway);
        text = StaticRouteFiles.Add(StaticRouteStyle.Ifupdown, text, "eth0", IPv6);
        Assert.Equal(
            "# Static routes kept by ClusterManagement (Add-NodeRoute -Persist, Remove-NodeRoute -Persist).\n" +
            "iface eth0 inet manual\n" +
            "    up ip route add 198.18.210.0/24 via 198.18.200.1 dev eth0\n" +
            "    up ip route add fd00:198:18:210::/64 via fd00:198:18:200::1 dev eth0 metric 1024\n",
            text);
    }

    [Theory]
    [InlineData(nameof(StaticRouteStyle.Ifupdown))]
    [InlineData(nameof(StaticRouteStyle.Netplan))]
    [InlineData(nameof(StaticRouteStyle.NetworkScripts))]
    // Theory data names the style: the engine's types are internal, so a public test method cannot take one.
    public void AddsARouteOnceAndRemovesItAgain(string styleName)
    {
        var style = Enum.Parse<StaticRouteStyle>(styleName);
        var text = StaticRouteFiles.Add(style, null, "eth0", ViaGateway);
        text = StaticRouteFiles.Add(style, text, "eth0", OnLink);
        Assert.Equal(text, StaticRouteFiles.Add(style, text, "eth0", OnLink));
        Assert.Equal(
            ["198.18.210.0/24 via 198.18.200.1 dev eth0", "198.18.211.0/24 dev eth0 metric 50"],
            StaticRouteFiles.Read(style, text).Where(l => !l.StartsWith('#')));

        var fewer = StaticRouteFiles.Remove(style, text, "eth0", ViaGateway);
        Assert.Equal(["198.18.211.0/24 dev eth0 metric 50"], StaticRouteFiles.Read(style, fewer).Where(l => !l.StartsWith('#')));
        Assert.Null(StaticRouteFiles.Remove(style, fewer, "eth0", OnLink));
    }

    [Fact]
    public void WritesNetplanRoutesForTheDevice()
    {
        var text = StaticRouteFiles.Add(StaticRouteStyle.Netplan, null, "eth0", OnLink);
        text = StaticRouteFiles.Add(StaticRouteStyle.Netplan, text, "eth0", IPv6);
        Assert.Equal(
            "# Static routes kept by ClusterManagement (Add-NodeRoute -Persist, Remove-NodeRoute -Persist).\n" +
            "network:\n  version: 2\n  ethernets:\n    eth0:\n      routes:\n" +
            "        - to: 198.18.211.0/24\n          scope: link\n          metric: 50\n" +
            "        - to: fd00:198:18:210::/64\n          via: fd00:198:18:200::1\n          metric: 1024\n",
            text);
    }

    [Fact]
    public void KeepsTheAdminsOwnLinesInARouteFile()
    {
        const string admin = "# office\n10.9.0.0/16 via 198.18.200.9 dev eth0\n";
        var text = StaticRouteFiles.Add(StaticRouteStyle.NetworkScripts, admin, "eth0", ViaGateway);
        Assert.Equal("# office\n10.9.0.0/16 via 198.18.200.9 dev eth0\n198.18.210.0/24 via 198.18.200.1 dev eth0\n", text);
        Assert.Equal(admin, StaticRouteFiles.Remove(StaticRouteStyle.NetworkScripts, text, "eth0", ViaGateway));
    }

    [Fact]
    public void RemovingARouteThatIsNotThereChangesNothingElse()
    {
        var text = StaticRouteFiles.Add(StaticRouteStyle.Ifupdown, null, "eth0", ViaGateway);
        Assert.Equal(text, StaticRouteFiles.Remove(StaticRouteStyle.Ifupdown, text, "eth0", OnLink));
    }
}
