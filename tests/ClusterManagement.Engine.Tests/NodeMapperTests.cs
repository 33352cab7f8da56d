using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using k8s.Models;

namespace ClusterManagement.Tests;

/// <summary>The columns of kubectl get nodes -o wide, derived as pkg/printers/internalversion/printers.go does.</summary>
public sealed class NodeMapperTests
{
    private static V1Node Node(
        IEnumerable<V1NodeCondition>? conditions = null,
        IDictionary<string, string>? labels = null,
        bool unschedulable = false,
        IEnumerable<V1NodeAddress>? addresses = null,
        string? runtime = "containerd://1.7.0") =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = "n1", Labels = labels, CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
            Spec = new V1NodeSpec { Unschedulable = unschedulable, PodCIDR = "10.244.1.0/24" },
            Status = new V1NodeStatus
            {
                Conditions = conditions?.ToList(),
                Addresses = addresses?.ToList(),
                NodeInfo = new V1NodeSystemInfo { KubeletVersion = "v1.32.4", ContainerRuntimeVersion = runtime, OsImage = "Debian", KernelVersion = "6.1" },
            },
        };

    private static V1NodeCondition Ready(string status) => new() { Type = "Ready", Status = status };

    [Theory]
    [InlineData("True", false, "Ready", NodeReadiness.Ready)]
    [InlineData("False", false, "NotReady", NodeReadiness.NotReady)]
    [InlineData("Unknown", false, "NotReady", NodeReadiness.NotReady)]
    [InlineData("True", true, "Ready,SchedulingDisabled", NodeReadiness.Ready)]
    [InlineData("Unknown", true, "NotReady,SchedulingDisabled", NodeReadiness.NotReady)]
    public void StatusFollowsTheReadyConditionAndCordon(string ready, bool unschedulable, string expected, NodeReadiness readiness)
    {
        var node = NodeMapper.ToClusterNode(Node([Ready(ready), new V1NodeCondition { Type = "MemoryPressure", Status = "False" }], unschedulable: unschedulable));
        Assert.Equal(expected, node.Status);
        Assert.Equal(readiness, node.Readiness);
    }

    [Fact]
    public void StatusIsUnknownWithoutAReadyCondition()
    {
        var node = NodeMapper.ToClusterNode(Node([new V1NodeCondition { Type = "MemoryPressure", Status = "False" }]));
        Assert.Equal("Unknown", node.Status);
        Assert.Equal(NodeReadiness.Unknown, node.Readiness);
    }

    [Fact]
    public void RolesComeSortedFromRoleLabelsAndTheLegacyLabel()
    {
        var labels = new Dictionary<string, string>
        {
            ["node-role.kubernetes.io/worker"] = "",
            ["node-role.kubernetes.io/control-plane"] = "",
            ["node-role.kubernetes.io/"] = "ignored: no role name",
            ["kubernetes.io/role"] = "master",
            ["kubernetes.io/hostname"] = "n1",
        };
        Assert.Equal(["control-plane", "master", "worker"], NodeMapper.ToClusterNode(Node(labels: labels)).Roles);
        Assert.Empty(NodeMapper.ToClusterNode(Node(labels: new Dictionary<string, string> { ["kubernetes.io/role"] = "" })).Roles);
    }

    [Fact]
    public void AddressesTakeTheFirstOfEachTypeAndMissingOnesAreNull()
    {
        var node = NodeMapper.ToClusterNode(Node(addresses:
        [
            new V1NodeAddress { Type = "Hostname", Address = "n1" },
            new V1NodeAddress { Type = "InternalIP", Address = "10.0.0.1" },
            new V1NodeAddress { Type = "InternalIP", Address = "fd00::1" },
        ]));
        Assert.Equal("10.0.0.1", node.InternalIP);
        Assert.Null(node.ExternalIP);
        Assert.Equal("n1", node.Hostname);
        Assert.Equal(3, node.Addresses.Count);
    }

    [Fact]
    public void PodCidrsFallBackToTheSingularField()
    {
        Assert.Equal(["10.244.1.0/24"], NodeMapper.ToClusterNode(Node()).PodCIDRs);
    }

    [Fact]
    public void EmptyRuntimeIsNullSoViewsCanPrintUnknown()
    {
        Assert.Null(NodeMapper.ToClusterNode(Node(runtime: "")).ContainerRuntime);
    }

    [Fact]
    public void AgeIsMeasuredAgainstTheClock()
    {
        using var pinned = Clock.Pin(new DateTime(2026, 1, 3, 1, 0, 0, DateTimeKind.Utc));
        var node = NodeMapper.ToClusterNode(Node());
        Assert.Equal("P2DT1H", node.Age);
        Assert.Equal("2d1h", HumanDuration.Format(IsoDuration.Parse(node.Age)));
    }
}
