using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Services;
using ClusterManagement.Engine.NodeHosts.Ssh;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>
/// Values from a user or a node that reach a root shell on the node: each command builder either
/// refuses the value or quotes it so that the program gets it as one word. Checked by running the
/// built command under the real /bin/sh with the programs stubbed (<see cref="ShellStub"/>).
/// </summary>
public sealed class HostileInputTests
{
    /// <summary>Payloads that leave a file named pwned in the working directory when they run.</summary>
    public static TheoryData<string> Hostile => new()
    {
        "$(touch pwned)",
        "x;touch pwned",
        "x && touch pwned",
        "x\ntouch pwned",
        "`touch pwned`",
        "x'$(touch pwned)'",
        "x\"$(touch pwned)\"",
        "x|touch pwned",
        "x>pwned",
        "-x",
        "--help",
        "x y",
        "",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    [InlineData("kubelet")]
    [InlineData("' ; touch pwned ; '")]
    public void QuoteHandsAnyTextOverAsOneWord(string value)
    {
        using var run = ShellStub.Run($"probe {NodeShell.Quote(value)}", "probe");
        Assert.Equal(["probe", value], Assert.Single(run.Calls));
        Assert.Empty(run.Files);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RefusesAServiceNameThatIsNoUnitName(string unit)
    {
        if (unit is "-x" or "--help")
        {
            // Legal unit names ("-.mount" is one): systemctl gets them after "--", see below.
            return;
        }

        var error = Assert.Throws<ClusterException>(() => NodeUnitService.ChangeScript(unit, UnitAction.Restart));
        Assert.Equal("ServiceNameInvalid", error.ErrorId);
        Assert.Equal(ClusterErrorKind.Invalid, error.Kind);
        Assert.Equal("ServiceNameInvalid", Assert.Throws<ClusterException>(() => NodeUnitService.JournalScript(unit, 10)).ErrorId);
        Assert.Equal("ServiceNameInvalid", Assert.Throws<ClusterException>(() => NodeUnitService.ShowCommand(["kubelet", unit])).ErrorId);
        Assert.Equal("ServiceNameInvalid", Assert.Throws<ClusterException>(() => NodeUnitService.RequireValidNames(["docker", unit])).ErrorId);
    }

    [Theory]
    [InlineData("-x", "-x.service")]
    [InlineData("--help", "--help.service")]
    [InlineData("-.mount", "-.mount")]
    [InlineData("getty@tty1", "getty@tty1.service")]
    [InlineData("kubelet.service", "kubelet.service")]
    public void GivesSystemctlAUnitNameAfterTheEndOfItsOptions(string unit, string file)
    {
        using var run = ShellStub.Run(NodeUnitService.ChangeScript(unit, UnitAction.Stop), "systemctl");
        Assert.Equal(2, run.Calls.Count);
        Assert.Equal(["systemctl", "reset-failed", "--", file], run.Calls[0]);
        Assert.Equal(["systemctl", "stop", "--", file], run.Calls[1]);
        Assert.Empty(run.Files);

        using var show = ShellStub.Run(NodeUnitService.ShowCommand([unit]), "systemctl");
        Assert.Equal(["--", file], Assert.Single(show.Calls)[^2..]);
        using var journal = ShellStub.Run(NodeUnitService.JournalScript(unit, 5), "journalctl");
        Assert.Equal(["-u", file], Assert.Single(journal.Calls)[^2..]);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RefusesAPackageVersionFromTheNodeThatNoPackageManagerWrites(string version)
    {
        foreach (var family in new[] { PackageFamily.Apt, PackageFamily.Dnf })
        {
            var error = Assert.Throws<ClusterException>(() =>
                NodePackages.InstallScript(family, new Dictionary<string, string> { ["containerd"] = version }, ["containerd"], TimeSpan.FromMinutes(2), "worker-1"));
            Assert.Equal("PackageVersionInvalid", error.ErrorId);
            Assert.Equal("PackageVersionInvalid", Assert.Throws<ClusterException>(() =>
                NodePackages.DownloadScript(family, new Dictionary<string, string> { ["containerd"] = version }, TimeSpan.FromMinutes(2), "worker-1")).ErrorId);
        }

        var resolved = Assert.Throws<ClusterException>(() => PackageVersions.Resolve("containerd", PackageVersions.Latest, [version], "worker-1"));
        Assert.Equal("PackageVersionInvalid", resolved.ErrorId);
        Assert.Equal("PackageVersionInvalid", Assert.Throws<ClusterException>(() => PackageVersions.RequireVersionRequest(version, "EngineVersion")).ErrorId);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RefusesAPackageNameThatIsNone(string package)
    {
        var error = Assert.Throws<ClusterException>(() =>
            NodePackages.InstallScript(PackageFamily.Apt, new Dictionary<string, string> { [package] = "1.0" }, ["runc"], TimeSpan.FromMinutes(2), "worker-1"));
        Assert.Equal("PackageNameInvalid", error.ErrorId);
        Assert.Equal("PackageNameInvalid", Assert.Throws<ClusterException>(() =>
            NodePackages.InstallScript(PackageFamily.Apt, new Dictionary<string, string> { ["runc"] = "1.0" }, [package], TimeSpan.FromMinutes(2), "worker-1")).ErrorId);
    }

    [Fact]
    public void InstallsExactlyTheResolvedVersionsAsSingleWords()
    {
        var versions = new Dictionary<string, string> { ["docker-ce"] = "5:27.5.1-1~debian.12~bookworm", ["containerd"] = "1.6.20~ds1-1+deb12u2" };
        using var apt = ShellStub.Run(NodePackages.InstallScript(PackageFamily.Apt, versions, ["docker-ce", "containerd"], TimeSpan.FromSeconds(120), "worker-1"), "dpkg", "apt-get", "apt-mark");
        var install = Assert.Single(apt.Calls, c => c[0] == "apt-get");
        Assert.Equal(["docker-ce=5:27.5.1-1~debian.12~bookworm", "containerd=1.6.20~ds1-1+deb12u2"], install[^2..]);
        Assert.Equal(["apt-mark", "hold", "docker-ce", "containerd"], Assert.Single(apt.Calls, c => c[0] == "apt-mark"));
        Assert.Empty(apt.Files);

        using var dnf = ShellStub.Run(NodePackages.InstallScript(PackageFamily.Dnf, versions, ["docker-ce"], TimeSpan.FromSeconds(120), "worker-1"), "dnf");
        Assert.Equal(["docker-ce-27.5.1-1~debian.12~bookworm", "containerd-1.6.20~ds1-1+deb12u2"], dnf.Calls.Single(c => c.Contains("install"))[^2..]);
    }

    [Fact]
    public void DownloadsTheResolvedVersionsWithoutInstallingOrReleasingAHold()
    {
        var versions = new Dictionary<string, string> { ["docker-ce"] = "5:27.5.1-1~debian.12~bookworm", ["containerd"] = "1.6.20~ds1-1+deb12u2" };
        using var apt = ShellStub.Run(NodePackages.DownloadScript(PackageFamily.Apt, versions, TimeSpan.FromSeconds(6), "worker-1"), "dpkg", "apt-get", "apt-mark");
        var download = Assert.Single(apt.Calls);
        Assert.Equal("apt-get", download[0]);
        Assert.Contains("--download-only", download);
        Assert.Equal(["docker-ce=5:27.5.1-1~debian.12~bookworm", "containerd=1.6.20~ds1-1+deb12u2"], download[^2..]);
        Assert.Empty(apt.Files);

        using var dnf = ShellStub.Run(NodePackages.DownloadScript(PackageFamily.Dnf, versions, TimeSpan.FromSeconds(6), "worker-1"), "dnf");
        var fetch = Assert.Single(dnf.Calls);
        Assert.Contains("--downloadonly", fetch);
        Assert.Contains("--disableplugin=versionlock", fetch);
        Assert.Equal(["docker-ce-27.5.1-1~debian.12~bookworm", "containerd-1.6.20~ds1-1+deb12u2"], fetch[^2..]);
    }

    [Fact]
    public void RefreshesThePackageListsWithALogOfItsOwnAndLeavesNothingBehind()
    {
        var script = NodePackages.RefreshScript(PackageFamily.Apt, TimeSpan.FromSeconds(6));
        Assert.DoesNotContain("/tmp/", script, StringComparison.Ordinal);
        Assert.Contains("mktemp", script, StringComparison.Ordinal);

        // apt-get stubbed as a success: the run ends at once, and its log (made in TMPDIR) is gone.
        using var run = ShellStub.Run(script, "apt-get");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["apt-get", "update", "-q"], Assert.Single(run.Calls));
        Assert.Empty(run.Files);
    }
}
