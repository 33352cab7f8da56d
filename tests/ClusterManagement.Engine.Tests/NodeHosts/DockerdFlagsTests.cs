using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Docker;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>
/// dockerd's rule (moby daemon/config/config.go, findConfigurationConflicts): a directive given both as a flag
/// and in daemon.json stops the daemon, whatever the values. The outputs are what systemd 252 (Debian 12) prints.
/// </summary>
public sealed class DockerdFlagsTests
{
    private const string FleetDropIn = "/etc/systemd/system/docker.service.d/10-fleet-network.conf";

    private const string LoadedWithDropIn =
        "LoadState=loaded\nFragmentPath=/lib/systemd/system/docker.service\n"
        + "ExecStart={ path=dockerd ; argv[]=dockerd -H fd:// --containerd=/run/containerd/containerd.sock --bridge=none --iptables=false --ip-masq=false ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
        + "@@drop-in " + FleetDropIn + "\n[Service]\nExecStart=\nExecStart=dockerd -H fd:// --containerd=/run/containerd/containerd.sock --bridge=none --iptables=false --ip-masq=false\n\n";

    [Fact]
    public void ReadsTheCommandLineSystemdMergedAndNamesTheDropInThatSetIt()
    {
        var commandLine = DockerdFlags.Parse(LoadedWithDropIn)!;
        Assert.Equal(FleetDropIn, commandLine.Source);
        Assert.Equal(
            [("hosts", "-H fd://"), ("containerd", "--containerd=/run/containerd/containerd.sock"), ("bridge", "--bridge=none"), ("iptables", "--iptables=false"), ("ip-masq", "--ip-masq=false")],
            commandLine.ConfigKeys);
    }

    [Fact]
    public void NamesThePackagesUnitWhenNoDropInSetsExecStart()
    {
        var output = "LoadState=loaded\nFragmentPath=/lib/systemd/system/docker.service\n"
            + "ExecStart={ path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n";
        var commandLine = DockerdFlags.Parse(output)!;
        Assert.Equal("/lib/systemd/system/docker.service", commandLine.Source);
        Assert.Equal(["hosts", "containerd"], commandLine.ConfigKeys.Select(k => k.Key));
    }

    [Fact]
    public void ExpandsDebiansDockerOptsFromTheUnitsEnvironmentFile()
    {
        // Debian's docker.io: EnvironmentFile=-/etc/default/docker, ExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS.
        var output = "LoadState=loaded\nFragmentPath=/lib/systemd/system/docker.service\nEnvironment=DOCKER_OPTS=--debug LOG=--log-level=warn\n"
            + "ExecStart={ path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H fd:// $DOCKER_OPTS ${LOG} $UNSET ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
            + "@@environment-file /etc/default/docker\n# Customize location of Docker binary (especially for development testing).\n#DOCKER_OPTS=\"--dns 8.8.8.8\"\n"
            + "DOCKER_OPTS=\"--log-driver journald --registry-mirror=https://mirror.invalid\"\n\n";
        var commandLine = DockerdFlags.Parse(output)!;
        Assert.Equal("/lib/systemd/system/docker.service", commandLine.Source);
        Assert.Equal(["hosts", "log-driver", "registry-mirrors", "log-level"], commandLine.ConfigKeys.Select(k => k.Key));
        Assert.Throws<ClusterException>(() => DockerdFlags.RequireNoConflicts("worker-1", ["log-driver"], commandLine));
    }

    [Fact]
    public void BeforeTheEngineIsInstalledTheDropInsDecide()
    {
        // systemd loads no drop-ins for a unit it cannot find: they take effect once the package brings docker.service.
        var output = "LoadState=not-found\nFragmentPath=\nExecStart=\n"
            + "@@drop-in /etc/systemd/system/docker.service.d/05-other.conf\n[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --log-level warn\n\n"
            + "@@drop-in " + FleetDropIn + "\n[Service]\nExecStart=\nExecStart=dockerd -H fd:// --bridge=none --iptables=false --ip-masq=false\n\n"
            + "@@drop-in /usr/lib/systemd/system/docker.service.d/10-fleet-network.conf\n[Service]\nExecStart=\nExecStart=dockerd -D\n\n";
        var commandLine = DockerdFlags.Parse(output)!;
        Assert.Equal(FleetDropIn, commandLine.Source);
        Assert.Equal(["hosts", "bridge", "iptables", "ip-masq"], commandLine.ConfigKeys.Select(k => k.Key));
    }

    [Fact]
    public void KnowsNothingBeforeTheInstallWhenNoDropInSetsExecStart()
    {
        var output = "LoadState=not-found\nFragmentPath=\nExecStart=\n@@drop-in /etc/systemd/system/docker.service.d/limits.conf\n[Service]\nLimitNOFILE=4096\n\n";
        Assert.Null(DockerdFlags.Parse(output));
        DockerdFlags.RequireNoConflicts("worker-1", ["iptables"], null);
    }

    [Fact]
    public void PairsFlagsWithTheirDaemonJsonKeysAsDockerdDoes()
    {
        string[] argv = ["dockerd", "-b", "none", "-s", "overlay2", "--exec-opt", "native.cgroupdriver=systemd", "--log-opt=max-size=10m", "-D", "--iptables", "--insecure-registry", "r.example:5000", "-Hunix:///run/d.sock", "--default-ulimit", "nofile=1024:2048"];
        Assert.Equal(
            [("bridge", "-b none"), ("storage-driver", "-s overlay2"), ("exec-opts", "--exec-opt native.cgroupdriver=systemd"), ("log-opts", "--log-opt=max-size=10m"), ("debug", "-D"),
                ("iptables", "--iptables"), ("insecure-registries", "--insecure-registry r.example:5000"), ("hosts", "-Hunix:///run/d.sock"), ("default-ulimits", "--default-ulimit nofile=1024:2048")],
            DockerdFlags.ConfigKeys(argv));
    }

    [Fact]
    public void RefusesEveryDirectiveTheUnitAlreadyPassesNamingTheFlagAndTheFile()
    {
        var e = Assert.Throws<ClusterException>(() => DockerdFlags.RequireNoConflicts("worker-1", ["iptables", "exec-opts", "bridge", "hosts"], DockerdFlags.Parse(LoadedWithDropIn)));
        Assert.Equal(ClusterErrors.EngineConfigConflict, e.Error);
        Assert.Equal("worker-1", e.Target);
        Assert.Contains("iptables (--iptables=false), bridge (--bridge=none), hosts (-H fd://)", e.Message, StringComparison.Ordinal);
        Assert.Contains(FleetDropIn, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("exec-opts", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsDirectivesTheUnitLeavesToDaemonJson() =>
        DockerdFlags.RequireNoConflicts("worker-1", ["exec-opts", "log-level", "storage-driver"], DockerdFlags.Parse(LoadedWithDropIn));
}
