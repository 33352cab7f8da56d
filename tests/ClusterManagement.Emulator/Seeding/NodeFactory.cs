using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Seeding;

/// <summary>Node objects as a kubeadm cluster on Debian 12 registers them.</summary>
public static class NodeFactory
{
    public const string ControlPlaneRole = "node-role.kubernetes.io/control-plane";
    /// <param name="index">Unique per node; derives the addresses, pod CIDR and machine ids.</param>
    /// <param name="kubeletVersion">What the node's kubelet reports: the cluster's starting version (kubeadm installs them alike).</param>
    public static JsonObject Create(string name, int index, bool controlPlane, DateTimeOffset createdAt, DateTimeOffset now, string kubeletVersion)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
        };
        var spec = new JsonObject
        {
            ["podCIDR"] = PodCidr(index),
            ["podCIDRs"] = new JsonArray(PodCidr(index)),
        };
        if (controlPlane)
        {
            labels[ControlPlaneRole] = "";
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
            spec["taints"] = new JsonArray(new JsonObject { ["key"] = ControlPlaneRole, ["effect"] = "NoSchedule" });
        }
        var resources = new JsonObject
        {
            ["cpu"] = controlPlane ? "2" : "4",
            ["ephemeral-storage"] = "102626232Ki",
            ["hugepages-2Mi"] = "0",
            ["memory"] = controlPlane ? "4019292Ki" : "16375212Ki",
            ["pods"] = "110",
        };
        var machineId = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["creationTimestamp"] = Timestamps.Format(createdAt),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///var/run/containerd/containerd.sock",
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["capacity"] = resources,
                ["allocatable"] = resources.DeepClone(),
                ["conditions"] = NodeConditions.HealthyConditions(now, createdAt),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = InternalIp(index) },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = machineId,
                    ["systemUUID"] = new Guid(Convert.FromHexString(machineId)).ToString(),
                    ["bootID"] = new Guid(Convert.FromHexString(machineId).Reverse().ToArray()).ToString(),
                    ["kernelVersion"] = "6.1.0-28-amd64",
                    ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                    ["containerRuntimeVersion"] = controlPlane ? "containerd://1.7.24" : "docker://20.10.24",
                    ["kubeletVersion"] = kubeletVersion,
                    ["kubeProxyVersion"] = kubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            },
        };
    }

    /// <summary>
    /// 127.1.0.11 upwards: loopback, so a client that did try to reach an emulated node could not leave
    /// the machine. Emulated nodes have no host: the module keeps no access data for them.
    /// </summary>
    public static string InternalIp(int index) => $"127.1.{(index + 10) / 250}.{(index + 10) % 250 + 1}";

    /// <summary>10.244.&lt;index&gt;.0/24, carrying into the next octets past 255 nodes.</summary>
    public static string PodCidr(int index) => $"10.{244 + index / 256}.{index % 256}.0/24";
}
