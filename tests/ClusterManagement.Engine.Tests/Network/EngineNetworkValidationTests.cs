using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Network.EngineNetworks;

namespace ClusterManagement.Tests.Network;

public sealed class EngineNetworkValidationTests
{
    private static readonly (string Name, IReadOnlyList<string> Subnets)[] Existing =
    [
        ("host", []),
        ("apps", ["198.18.10.0/24", "fd00:198:18:10::/64"]),
    ];

    private static readonly string[] PodCidrs = ["198.18.64.0/24"];

    private static EngineNetworkPlan Validate(EngineNetworkRequest request) => EngineNetworkValidation.Validate(request, Existing, PodCidrs);

    private static ClusterException Refused(EngineNetworkRequest request) => Assert.Throws<ClusterException>(() => Validate(request));

    [Fact]
    public void PlansOnePoolPerSubnetWithWhatBelongsInIt()
    {
        var plan = Validate(new EngineNetworkRequest
        {
            Name = "web",
            Subnets = ["198.18.20.0/24", "fd00:198:18:20::/64"],
            Gateways = ["fd00:198:18:20::1", "198.18.20.1"],
            IPRanges = ["198.18.20.128/25"],
            AuxAddresses = new Dictionary<string, string> { ["printer"] = "198.18.20.5", ["router6"] = "fd00:198:18:20::fe" },
        });

        Assert.True(plan.EnableIPv6);
        var v4 = plan.Pools[0];
        Assert.Equal("198.18.20.0/24", v4.Subnet.ToString());
        Assert.Equal("198.18.20.1", v4.Gateway?.ToString());
        Assert.Equal("198.18.20.128/25", v4.IPRange?.ToString());
        Assert.Equal("198.18.20.5", v4.AuxAddresses["printer"]);
        var v6 = plan.Pools[1];
        Assert.Equal("fd00:198:18:20::1", v6.Gateway?.ToString());
        Assert.Null(v6.IPRange);
        Assert.Equal("fd00:198:18:20::fe", v6.AuxAddresses["router6"]);
    }

    [Fact]
    public void AnIPv4OnlyNetworkDoesNotEnableIPv6() =>
        Assert.False(Validate(new EngineNetworkRequest { Name = "web", Subnets = ["198.18.20.0/24"] }).EnableIPv6);

    [Theory]
    [InlineData("198.18.20.1/24", null, null, "CidrInvalid")]
    [InlineData("198.18.20.0/24", "198.18.21.1", null, "GatewayOutsideSubnet")]
    [InlineData("198.18.20.0/24", "fd00:198:18:20::1", null, "GatewayOutsideSubnet")]
    [InlineData("198.18.20.0/24", "198.18.20.0", null, "GatewayNotUsable")]
    [InlineData("198.18.20.0/24", "198.18.20.255", null, "GatewayNotUsable")]
    [InlineData("fd00:198:18:20::/64", "fd00:198:18:20::", null, "GatewayNotUsable")]
    [InlineData("198.18.20.0/24", "198.18.20.1/32", null, "CidrInvalid")]
    [InlineData("198.18.20.0/24", null, "198.18.21.0/25", "IPRangeOutsideSubnet")]
    [InlineData("198.18.20.0/25", null, "198.18.20.0/24", "IPRangeOutsideSubnet")]
    [InlineData("198.18.20.0/24", null, "198.18.20.1/25", "CidrInvalid")]
    public void RefusesBadArithmetic(string subnet, string? gateway, string? range, string errorId)
    {
        var error = Refused(new EngineNetworkRequest
        {
            Name = "web",
            Subnets = [subnet],
            Gateways = gateway is null ? [] : [gateway],
            IPRanges = range is null ? [] : [range],
        });
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ClusterErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void AcceptsEitherAddressOfAPointToPointSubnetAsGateway() =>
        Assert.Equal("198.18.20.0", Validate(new EngineNetworkRequest { Name = "p2p", Subnets = ["198.18.20.0/31"], Gateways = ["198.18.20.0"] }).Pools[0].Gateway?.ToString());

    [Fact]
    public void RefusesTwoGatewaysOrRangesForOneSubnet()
    {
        Assert.Equal("GatewayDuplicate", Refused(new EngineNetworkRequest { Name = "web", Subnets = ["198.18.20.0/24"], Gateways = ["198.18.20.1", "198.18.20.2"] }).ErrorId);
        Assert.Equal("IPRangeDuplicate", Refused(new EngineNetworkRequest { Name = "web", Subnets = ["198.18.20.0/24"], IPRanges = ["198.18.20.0/25", "198.18.20.128/25"] }).ErrorId);
    }

    [Fact]
    public void RefusesAnAuxAddressOutsideTheSubnets()
    {
        var error = Refused(new EngineNetworkRequest { Name = "web", Subnets = ["198.18.20.0/24"], AuxAddresses = new Dictionary<string, string> { ["printer"] = "198.18.21.5" } });
        Assert.Equal("AuxAddressOutsideSubnet", error.ErrorId);
        Assert.Contains("printer = 198.18.21.5", error.Message);
    }

    [Theory]
    [InlineData("198.18.10.128/25", "SubnetOverlapsNetwork", "198.18.10.0/24 of network 'apps'")]
    [InlineData("198.18.0.0/16", "SubnetOverlapsNetwork", "network 'apps'")]
    [InlineData("fd00:198:18::/48", "SubnetOverlapsNetwork", "fd00:198:18:10::/64 of network 'apps'")]
    [InlineData("198.18.64.0/26", "SubnetOverlapsPodCidr", "198.18.64.0/24 of the node's pod CIDR")]
    public void RefusesOverlapsNamingWhatIsOverlapped(string subnet, string errorId, string named)
    {
        var error = Refused(new EngineNetworkRequest { Name = "web", Subnets = [subnet] });
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ClusterErrorKind.Conflict, error.Kind);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void RefusesSubnetsThatOverlapEachOther() =>
        Assert.Equal("SubnetsOverlap", Refused(new EngineNetworkRequest { Name = "web", Subnets = ["198.18.20.0/24", "198.18.20.0/25"] }).ErrorId);

    [Fact]
    public void SubnetsOfDifferentFamiliesNeverOverlap() =>
        Assert.Equal(2, Validate(new EngineNetworkRequest { Name = "web", Subnets = ["198.18.30.0/24", "fd00:198:18:30::/64"] }).Pools.Count);

    [Fact]
    public void RefusesADuplicateName()
    {
        var error = Refused(new EngineNetworkRequest { Name = "apps", Subnets = ["198.18.20.0/24"] });
        Assert.Equal("NetworkNameExists", error.ErrorId);
        Assert.Equal(ClusterErrorKind.AlreadyExists, error.Kind);
    }

    [Theory]
    [InlineData("-web")]
    [InlineData("web net")]
    [InlineData("")]
    public void RefusesNamesTheEngineDoesNotTake(string name) =>
        Assert.Equal("NetworkNameInvalid", Refused(new EngineNetworkRequest { Name = name, Subnets = ["198.18.20.0/24"] }).ErrorId);

    [Fact]
    public void RefusesAnUnknownDriver() =>
        Assert.Equal("NetworkDriverUnsupported", Refused(new EngineNetworkRequest { Name = "web", Driver = "overlay", Subnets = ["198.18.20.0/24"] }).ErrorId);

    [Theory]
    [InlineData("macvlan", false, false, "ParentInterfaceRequired")]
    [InlineData("ipvlan", false, false, "ParentInterfaceRequired")]
    [InlineData("macvlan", true, false, null)]
    [InlineData("ipvlan", false, true, null)]
    public void MacvlanAndIpvlanNeedAParentUnlessInternal(string driver, bool withParent, bool isInternal, string? errorId)
    {
        var request = new EngineNetworkRequest
        {
            Name = "lan",
            Driver = driver,
            Subnets = ["198.18.20.0/24"],
            Internal = isInternal,
            Options = withParent ? new Dictionary<string, string> { ["parent"] = "eth0" } : new Dictionary<string, string>(),
        };
        if (errorId is null)
        {
            Assert.Single(Validate(request).Pools);
        }
        else
        {
            Assert.Equal(errorId, Refused(request).ErrorId);
        }
    }

    [Fact]
    public void RefusesARequestWithoutSubnets() =>
        Assert.Equal("SubnetRequired", Refused(new EngineNetworkRequest { Name = "web", Subnets = [] }).ErrorId);
}
