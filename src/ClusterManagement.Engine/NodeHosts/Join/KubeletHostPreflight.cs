using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>
/// The host state kubeadm join's preflight and the kubelet refuse, checked read-only before the
/// module changes anything, and the kernel settings the module owns and sets before the join. Swap
/// and a foreign listener on the kubelet's port belong to the admin: they are refused, never undone.
/// </summary>
internal static partial class KubeletHostPreflight
{
    public const string ForwardingPath = "/proc/sys/net/ipv4/ip_forward";

    /// <summary>What kubeadm's checks read: active swap areas, a listener on 10250 with its process, IPv4 forwarding and whether it can be set.</summary>
    public const string ReadScript =
        "echo \"swaps=$(tail -n +2 /proc/swaps 2>/dev/null | awk '{print $1}' | paste -sd, -)\"; " +
        "echo \"port=$(ss -Htlnp 'sport = :10250' 2>/dev/null | head -n 1)\"; " +
        "echo \"forward=$(head -c 1 " + ForwardingPath + " 2>/dev/null)\"; " +
        "if [ -w " + ForwardingPath + " ]; then echo forward-writable=yes; fi";

    /// <summary>modules-load.d and sysctl.d as kubeadm's install guide has them, applied now; a module the host cannot load (a container) is left to the boot.</summary>
    public const string ApplyScript =
        "install -d -m 0755 /etc/modules-load.d /etc/sysctl.d && " +
        "printf 'overlay\\nbr_netfilter\\n' > /etc/modules-load.d/" + FileName + " && " +
        "printf 'net.ipv4.ip_forward = 1\\nnet.bridge.bridge-nf-call-iptables = 1\\nnet.bridge.bridge-nf-call-ip6tables = 1\\n' > /etc/sysctl.d/" + FileName + " || exit 1; " +
        "{ modprobe overlay; modprobe br_netfilter; sysctl -e --system; } >/dev/null 2>&1; " +
        "head -c 1 " + ForwardingPath;

    public const string FileName = "99-clustermanagement-kubernetes.conf";

    public static void Require(string node, string output)
    {
        var values = output.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        var problems = new List<(ClusterError Error, string Text)>();
        if (values.GetValueOrDefault("swaps") is { Length: > 0 } swaps)
        {
            problems.Add((ClusterErrors.HostSwapEnabled,
                $"swap is on ({swaps}; kubeadm preflight check Swap): the kubelet refuses to start with swap unless its failSwapOn is false. Turn swap off with 'swapoff -a' and remove the swap entries from /etc/fstab"));
        }

        if (values.GetValueOrDefault("port") is { Length: > 0 } listener && Holder(listener) is var holder && holder.Name != "kubelet")
        {
            problems.Add((ClusterErrors.KubeletPortInUse,
                $"port 10250, the kubelet's, is in use by {(holder.Name is null ? "a process this user cannot see" : $"{holder.Name} (pid {holder.Pid})")} (kubeadm preflight check Port-10250). Stop it or move it to another port"));
        }

        if (values.GetValueOrDefault("forward") != "1" && !values.ContainsKey("forward-writable"))
        {
            problems.Add((ClusterErrors.HostSysctlReadOnly,
                $"{ForwardingPath} is '{values.GetValueOrDefault("forward")}', not 1 (kubeadm preflight check FileContent--proc-sys-net-ipv4-ip_forward), and cannot be set on this host"));
        }

        if (problems.Count > 0)
        {
            throw new ClusterException(problems[0].Error,
                $"{node} cannot join as it is: {string.Join("; ", problems.Select(p => p.Text))}. Nothing was changed on the host or in the cluster.", node);
        }
    }

    /// <summary>The result of <see cref="ApplyScript"/>: forwarding must read 1 afterwards, or kubeadm join refuses the host.</summary>
    public static void RequireForwarding(string node, string output)
    {
        if (output.Trim() != "1")
        {
            throw new ClusterException(ClusterErrors.HostSysctlReadOnly,
                $"{node}: net.ipv4.ip_forward is still '{output.Trim()}' after /etc/sysctl.d/{FileName} was applied (sysctl --system); kubeadm join would refuse the host (FileContent--proc-sys-net-ipv4-ip_forward).", node);
        }
    }

    /// <summary>ss -p names the listener as users:(("name",pid=N,fd=M)); without that part the process is not visible to this user.</summary>
    private static (string? Name, string? Pid) Holder(string listener) =>
        ProcessPattern().Match(listener) is { Success: true } m ? (m.Groups["name"].Value, m.Groups["pid"].Value) : (null, null);

    [GeneratedRegex("users:\\(\\(\"(?<name>[^\"]+)\",pid=(?<pid>\\d+)")]
    private static partial Regex ProcessPattern();
}
