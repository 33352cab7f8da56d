using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Join;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>What New-ClusterNode refuses on a host before it changes anything, from what the host's own files say.</summary>
public sealed class KubeletHostPreflightTests
{
    [Fact]
    public void AHostAsKubeadmWantsItPasses()
    {
        KubeletHostPreflight.Require("worker-9", "swaps=\nport=\nforward=1\n");
        KubeletHostPreflight.Require("worker-9", "swaps=\nport=LISTEN 0 4096 *:10250 *:* users:((\"kubelet\",pid=812,fd=20))\nforward=0\nforward-writable=yes\n");
    }

    [Fact]
    public void SwapIsRefusedWithTheWayOut()
    {
        var e = Assert.Throws<ClusterException>(() => KubeletHostPreflight.Require("worker-9", "swaps=/swapfile\nport=\nforward=1\n"));

        Assert.Equal(ClusterErrors.HostSwapEnabled, e.Error);
        Assert.Contains("swap is on (/swapfile; kubeadm preflight check Swap)", e.Message);
        Assert.Contains("swapoff -a", e.Message);
        Assert.Contains("Nothing was changed", e.Message);
    }

    [Fact]
    public void ATakenKubeletPortNamesTheProcessAndEveryOtherProblemIsListedToo()
    {
        var e = Assert.Throws<ClusterException>(() => KubeletHostPreflight.Require("worker-9",
            "swaps=/dev/sda2,/swapfile\nport=LISTEN 0 5 127.0.0.9:10250 0.0.0.0:* users:((\"perl\",pid=4711,fd=3))\nforward=0\n"));

        Assert.Equal(ClusterErrors.HostSwapEnabled, e.Error);
        Assert.Contains("(/dev/sda2,/swapfile;", e.Message);
        Assert.Contains("port 10250, the kubelet's, is in use by perl (pid 4711) (kubeadm preflight check Port-10250)", e.Message);
        Assert.Contains("/proc/sys/net/ipv4/ip_forward is '0', not 1", e.Message);
    }

    [Fact]
    public void AListenerWhoseProcessIsHiddenIsStillRefused()
    {
        var e = Assert.Throws<ClusterException>(() => KubeletHostPreflight.Require("worker-9", "swaps=\nport=LISTEN 0 5 127.0.0.9:10250 0.0.0.0:*\nforward=1\n"));

        Assert.Equal(ClusterErrors.KubeletPortInUse, e.Error);
        Assert.Contains("in use by a process this user cannot see", e.Message);
    }

    [Fact]
    public void ForwardingThatCannotBeSetIsRefusedBeforeAndUnsetForwardingAfterTheFix()
    {
        var before = Assert.Throws<ClusterException>(() => KubeletHostPreflight.Require("worker-9", "swaps=\nport=\nforward=0\n"));
        var after = Assert.Throws<ClusterException>(() => KubeletHostPreflight.RequireForwarding("worker-9", "0"));
        KubeletHostPreflight.RequireForwarding("worker-9", "1");

        Assert.Equal(ClusterErrors.HostSysctlReadOnly, before.Error);
        Assert.Equal(ClusterErrors.HostSysctlReadOnly, after.Error);
        Assert.Contains("FileContent--proc-sys-net-ipv4-ip_forward", after.Message);
    }

    [Fact]
    public void TheFixWritesTheFilesKubeadmsGuideNamesAndReadsForwardingBack()
    {
        Assert.Contains("printf 'overlay\\nbr_netfilter\\n' > /etc/modules-load.d/99-clustermanagement-kubernetes.conf", KubeletHostPreflight.ApplyScript);
        Assert.Contains("net.ipv4.ip_forward = 1", KubeletHostPreflight.ApplyScript);
        Assert.Contains("sysctl -e --system", KubeletHostPreflight.ApplyScript);
        Assert.EndsWith("head -c 1 /proc/sys/net/ipv4/ip_forward", KubeletHostPreflight.ApplyScript);
    }
}
