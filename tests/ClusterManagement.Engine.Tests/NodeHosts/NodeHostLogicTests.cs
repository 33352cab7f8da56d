using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.Rollout;
using ClusterManagement.Engine.NodeHosts.Services;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

public sealed class PackageVersionTests
{
    private const string Madison = """
         containerd | 1.6.20~ds1-1+deb12u3 | http://deb.debian.org/debian bookworm/main amd64 Packages
         containerd | 1.6.20~ds1-1+deb12u2 | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
               runc | 1.1.5+ds1-1+deb12u1 | http://deb.debian.org/debian bookworm/main amd64 Packages
               runc | 1.1.5+ds1-1+deb12u1 | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
        """;

    private const string DockerCe = """
         docker-ce | 5:27.5.1-1~debian.12~bookworm | https://download.docker.com/linux/debian bookworm/stable amd64 Packages
         docker-ce | 5:27.5.0-1~debian.12~bookworm | https://download.docker.com/linux/debian bookworm/stable amd64 Packages
         docker-ce | 5:27.4.1-1~debian.12~bookworm | https://download.docker.com/linux/debian bookworm/stable amd64 Packages
         docker-ce | 5:26.1.4-1~debian.12~bookworm | https://download.docker.com/linux/debian bookworm/stable amd64 Packages
        """;

    [Fact]
    public void MadisonKeepsOrderAndDropsDuplicatesAndOtherPackages()
    {
        Assert.Equal(["1.6.20~ds1-1+deb12u3", "1.6.20~ds1-1+deb12u2"], PackageVersions.ParseMadison("containerd", Madison));
        Assert.Equal(["1.1.5+ds1-1+deb12u1"], PackageVersions.ParseMadison("runc", Madison));
        Assert.Empty(PackageVersions.ParseMadison("docker.io", Madison));
    }

    [Theory]
    [InlineData("27.5", "5:27.5.1-1~debian.12~bookworm")]
    [InlineData("27", "5:27.5.1-1~debian.12~bookworm")]
    [InlineData("27.4", "5:27.4.1-1~debian.12~bookworm")]
    [InlineData("27.5.0", "5:27.5.0-1~debian.12~bookworm")]
    [InlineData("5:26.1.4-1~debian.12~bookworm", "5:26.1.4-1~debian.12~bookworm")]
    [InlineData("latest", "5:27.5.1-1~debian.12~bookworm")]
    public void PrefixPicksTheNewestMatch(string requested, string expected) =>
        Assert.Equal(expected, PackageVersions.Resolve("docker-ce", requested, PackageVersions.ParseMadison("docker-ce", DockerCe), "n1"));

    [Theory]
    [InlineData("2")]
    [InlineData("27.5.11")]
    [InlineData("26.2")]
    public void PrefixMatchesWholeComponentsOnly(string requested)
    {
        var error = Assert.Throws<ClusterException>(() => PackageVersions.Resolve("docker-ce", requested, PackageVersions.ParseMadison("docker-ce", DockerCe), "n1"));
        Assert.Equal("PackageVersionNotAvailable", error.ErrorId);
        Assert.Contains("Available: 5:27.5.1-1~debian.12~bookworm, 5:27.5.0-1~debian.12~bookworm", error.Message);
    }

    [Fact]
    public void PackagerRevisionsAreDistinct()
    {
        var available = PackageVersions.ParseMadison("containerd", Madison);
        Assert.Equal("1.6.20~ds1-1+deb12u2", PackageVersions.Resolve("containerd", "1.6.20~ds1-1+deb12u2", available, "n1"));
        Assert.Equal("1.6.20~ds1-1+deb12u3", PackageVersions.Resolve("containerd", "1.6.20", available, "n1"));
    }

    [Fact]
    public void NoVersionsAtAllSaysSo() =>
        Assert.Equal("PackageNotAvailable", Assert.Throws<ClusterException>(() => PackageVersions.Resolve("kubeadm", "1.31", [], "n1")).ErrorId);

    [Theory]
    [InlineData("1.6.20~ds1-1+deb12u2", "1.6.20~ds1")]
    [InlineData("5:27.5.1-1~debian.12~bookworm", "27.5.1")]
    [InlineData("20.10.24+dfsg1-1+deb12u1+b6", "20.10.24+dfsg1")]
    public void UpstreamDropsEpochAndRevision(string package, string upstream) => Assert.Equal(upstream, PackageVersions.Upstream(package));

    [Fact]
    public void DnfListIsNewestFirst() =>
        Assert.Equal(
            ["3:27.5.1-1.el9", "3:26.1.4-1.el9"],
            PackageVersions.ParseDnfList("docker-ce", "Available Packages\ndocker-ce.x86_64   3:26.1.4-1.el9   docker-ce-stable\ndocker-ce.x86_64   3:27.5.1-1.el9   docker-ce-stable\n"));
}

public sealed class EngineVersionTests
{
    [Theory]
    [InlineData("20.10.24+dfsg1", null, "20.10.24+dfsg1-1+deb12u1+b6", true)]
    [InlineData("27.5.1", "cc13f95", "5:27.5.1-1~debian.12~bookworm", true)]
    [InlineData("27.5.0", "cc13f95", "5:27.5.1-1~debian.12~bookworm", false)]
    [InlineData("1.6.20~ds1", "1.6.20~ds1-1+deb12u2", "1.6.20~ds1-1+deb12u2", true)]
    [InlineData("1.6.20~ds1", "1.6.20~ds1-1+deb12u3", "1.6.20~ds1-1+deb12u2", false)]
    [InlineData(null, null, "1.6.20~ds1-1+deb12u2", false)]
    public void BuildsAreComparedByPackageRevisionWhenTheEngineReportsIt(string? version, string? build, string package, bool matches) =>
        Assert.Equal(matches, EngineInstaller.BuildMatches(version, build, package));

    [Theory]
    [InlineData("1.41", "1.12", "1.41")]
    [InlineData("1.99", "1.24", "1.54")]
    public void ApiVersionIsTheLowerOfServerAndClient(string server, string minimum, string expected) =>
        Assert.Equal(Version.Parse(expected), ApiVersionNegotiation.Negotiate(server, minimum, "n1"));

    [Fact]
    public void AnEngineThatNeedsANewerApiIsRefused() =>
        Assert.Equal("EngineApiUnsupported", Assert.Throws<ClusterException>(() => ApiVersionNegotiation.Negotiate("1.70", "1.60", "n1")).ErrorId);
}

public sealed class OsReleaseTests
{
    [Fact]
    public void DebianIsApt()
    {
        var os = OsRelease.Parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n");
        Assert.Equal("debian", os.Id);
        Assert.Equal("12", os.VersionId);
        Assert.Equal("bookworm", os.VersionCodename);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", os.PrettyName);
        Assert.Equal(PackageFamily.Apt, os.Family("n1"));
    }

    [Fact]
    public void DerivativesFollowIdLike()
    {
        Assert.Equal(PackageFamily.Apt, OsRelease.Parse("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n").Family("n1"));
        Assert.Equal(PackageFamily.Dnf, OsRelease.Parse("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n# comment\n").Family("n1"));
    }

    [Fact]
    public void OtherFamiliesAreRefusedByName()
    {
        var error = Assert.Throws<ClusterException>(() => OsRelease.Parse("ID=alpine\nPRETTY_NAME='Alpine Linux v3.20'\n").Family("n1"));
        Assert.Equal("OperatingSystemUnsupported", error.ErrorId);
        Assert.Contains("Alpine Linux v3.20", error.Message);
    }
}

public sealed class SystemctlShowTests
{
    [Fact]
    public void ParsesOneBlockPerUnit()
    {
        const string output = "Id=kubelet.service\nDescription=kubelet: The Kubernetes Node Agent\nLoadState=loaded\nActiveState=active\nSubState=running\n" +
                              "UnitFileState=enabled\nMainPID=412\nStateChangeTimestamp=@1764028800\n\n" +
                              "Id=nothere.service\nDescription=nothere.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\nMainPID=0\nStateChangeTimestamp=\n";
        var units = SystemctlShow.Parse("n1", output);
        Assert.Equal(2, units.Count);
        Assert.Equal("kubelet", units[0].Name);
        Assert.Equal("active", units[0].ActiveState);
        Assert.Equal("running", units[0].SubState);
        Assert.Equal("enabled", units[0].Enabled);
        Assert.Equal(412, units[0].MainPid);
        Assert.Equal(new DateTime(2025, 11, 25, 0, 0, 0, DateTimeKind.Utc), units[0].Since);
        Assert.Equal(DateTimeKind.Utc, units[0].Since!.Value.Kind);
        Assert.Equal("not-found", units[1].LoadState);
        Assert.Null(units[1].MainPid);
        Assert.Null(units[1].Enabled);
        Assert.Null(units[1].Since);
    }

    [Fact]
    public void ReadsOlderSystemdTimestamps() =>
        Assert.Equal(new DateTime(2026, 11, 24, 23, 10, 2, DateTimeKind.Utc), SystemctlShow.Timestamp("Tue 2026-11-24 23:10:02 UTC"));
}

public sealed class RolloutBatchTests
{
    [Theory]
    [InlineData(4, 1, new[] { 1, 1, 1, 1 })]
    [InlineData(4, 2, new[] { 2, 2 })]
    [InlineData(5, 2, new[] { 2, 2, 1 })]
    [InlineData(3, 10, new[] { 3 })]
    [InlineData(0, 2, new int[0])]
    public void BatchesKeepOrderAndSize(int nodes, int maxUnavailable, int[] sizes)
    {
        var items = Enumerable.Range(1, nodes).ToList();
        var batches = RolloutBatches.Plan(items, maxUnavailable);
        Assert.Equal(sizes, batches.Select(b => b.Count));
        Assert.Equal(items, batches.SelectMany(b => b));
    }

    [Fact]
    public void MaxUnavailableBelowOneIsRefused() =>
        Assert.Throws<ClusterException>(() => RolloutBatches.Plan([1], 0));
}
