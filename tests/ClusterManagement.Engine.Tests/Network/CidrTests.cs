using ClusterManagement.Collections;
using ClusterManagement.Diagnostics;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Tests.Network;

public sealed class CidrTests
{
    [Theory]
    [InlineData("198.18.0.0/24")]
    [InlineData("198.18.0.0/15")]
    [InlineData("0.0.0.0/0")]
    [InlineData("198.18.4.7/32")]
    [InlineData("fd00:198:18::/64")]
    [InlineData("2001:db8::/32")]
    public void ParsesNetworks(string text) => Assert.Equal(text, Cidr.Parse(text, "Subnet").ToString());

    [Theory]
    [InlineData("198.18.0.1/24", "host bits set; the network is 198.18.0.0/24")]
    [InlineData("198.18.0.0/33", "prefix length 33; an IPv4 prefix is 0 to 32")]
    [InlineData("fd00::/129", "prefix length 129; an IPv6 prefix is 0 to 128")]
    [InlineData("198.18.0.0", "is not a CIDR")]
    [InlineData("not-an-ip/24", "is not a CIDR")]
    [InlineData("198.18.0.0/x", "is not a CIDR")]
    public void RejectsWhatDockerAndKubernetesReject(string text, string message)
    {
        var error = Assert.Throws<ClusterException>(() => Cidr.Parse(text, "Subnet"));
        Assert.Equal(ClusterErrorKind.Invalid, error.Kind);
        Assert.Contains(message, error.Message);
        Assert.StartsWith("-Subnet:", error.Message);
    }

    [Theory]
    [InlineData("198.18.0.0/24", "198.18.0.128/25", true)]
    [InlineData("198.18.0.0/24", "198.18.1.0/24", false)]
    [InlineData("198.18.0.0/15", "198.19.255.0/24", true)]
    [InlineData("fd00::/64", "fd00::8000:0:0:0/65", true)]
    [InlineData("fd00::/64", "fd00:0:0:1::/64", false)]
    [InlineData("198.18.0.0/24", "fd00::/64", false)]
    public void OverlapsAcrossPrefixesAndFamilies(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, Cidr.Overlaps(Cidr.Parse(a, "A"), Cidr.Parse(b, "B")));
        Assert.Equal(overlap, Cidr.Overlaps(Cidr.Parse(b, "B"), Cidr.Parse(a, "A")));
    }

    [Fact]
    public void WithinNeedsTheWholeRangeInside()
    {
        Assert.True(Cidr.Within(Cidr.Parse("198.18.0.128/25", "R"), Cidr.Parse("198.18.0.0/24", "S")));
        Assert.False(Cidr.Within(Cidr.Parse("198.18.0.0/23", "R"), Cidr.Parse("198.18.0.0/24", "S")));
    }

    private static ClusterNode Node(string name, params string[] podCidrs) => new()
    {
        Name = name, Status = "Ready", Readiness = NodeReadiness.Ready, Roles = [], Age = "PT0S", Created = DateTime.UnixEpoch,
        Conditions = [], Addresses = [new NodeAddress { Type = "InternalIP", Address = "198.18.0.1" }, new NodeAddress { Type = "InternalIP", Address = "fd00::1" }],
        Taints = [], PodCIDRs = podCidrs,
        Labels = ValueMap.Empty, Annotations = ValueMap.Empty,
        Capacity = ValueMap.Empty, Allocatable = ValueMap.Empty,
    };

    [Fact]
    public void FlagsMissingOverlappingAndInvalidPodRanges()
    {
        var networks = ClusterNetworkAnalysis.Analyze([
            Node("a", "10.244.0.0/24", "fd00:10:244::/64"),
            Node("b", "10.244.0.128/25"),
            Node("c"),
            Node("d", "garbage"),
            Node("e", "10.244.9.0/24")]);

        Assert.Contains("overlaps 10.244.0.128/25 of node b", networks[0].Problems.Single());
        Assert.Contains("overlaps 10.244.0.0/24 of node a", networks[1].Problems.Single());
        Assert.Contains("no pod CIDR", networks[2].Problems.Single());
        Assert.Contains("not a valid CIDR", networks[3].Problems.Single());
        Assert.Empty(networks[4].Problems);
        Assert.Equal(["198.18.0.1", "fd00::1"], networks[0].InternalIPs);

        var summary = ClusterNetworkAnalysis.Summarize(networks, "10.96.0.1", ["10.96.0.0/12", "10.244.9.0/28"]);
        Assert.Equal(1, summary.NodesWithoutPodCIDR);
        Assert.Contains(summary.Problems, p => p == "e: pod CIDR 10.244.9.0/24 overlaps the service range 10.244.9.0/28");
        Assert.Equal(5, summary.Problems.Count);
    }

    [Fact]
    public void ASummaryWithoutServiceRangesReportsNoServiceOverlap()
    {
        var summary = ClusterNetworkAnalysis.Summarize(ClusterNetworkAnalysis.Analyze([Node("a", "10.96.0.0/24")]), "10.96.0.1", null);
        Assert.Empty(summary.Problems);
        Assert.Null(summary.ServiceCIDRs);
    }
}
