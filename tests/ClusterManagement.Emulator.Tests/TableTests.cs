using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Tests;

public sealed class TableTests
{
    [Theory]
    [InlineData(-3, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(8 * 86400, "8d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData(731 * 86400, "2y1d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void HumanDurationMatchesApimachinery(long seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void NodeStatusRolesAndUnknownRuntimeFields()
    {
        var now = DateTimeOffset.UtcNow;
        var node = NodeFactory.Create("n1", 3, controlPlane: true, now.AddHours(-5), now, Discovery.ServerVersion.Default);
        node["metadata"]!["labels"]!["kubernetes.io/role"] = "ingress";
        node["metadata"]!["labels"]!["node-role.kubernetes.io/etcd"] = "";
        node["spec"]!["unschedulable"] = true;
        node["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == "Ready")["status"] = "Unknown";
        node["status"]!["nodeInfo"]!["kernelVersion"] = "";

        var cells = new NodeTable().Cells(node, now).Select(c => c!.GetValue<string>()).ToArray();

        Assert.Equal(["n1", "NotReady,SchedulingDisabled", "control-plane,etcd,ingress", "5h", "v1.32.4", "127.1.0.14", "<none>",
            "Debian GNU/Linux 12 (bookworm)", "<unknown>", "containerd://1.7.24"], cells);
    }

    [Fact]
    public void NodeWithoutReadyConditionIsUnknown()
    {
        var node = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n" } };

        Assert.Equal("Unknown", NodeTable.StatusText(node));
    }

    [Fact]
    public void TerminatingPodWithWaitingContainer()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p","creationTimestamp":"2020-01-01T00:00:00Z","deletionTimestamp":"2020-01-01T00:00:00Z"},
             "spec":{"containers":[{"name":"a"},{"name":"b"}],"readinessGates":[{"conditionType":"x"}]},
             "status":{"phase":"Running","conditions":[{"type":"x","status":"True"}],
               "containerStatuses":[{"name":"a","ready":true,"restartCount":2,"state":{"running":{}}},
                                    {"name":"b","ready":false,"restartCount":1,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}
            """)!.AsObject();

        var cells = new PodTable().Cells(pod, DateTimeOffset.Parse("2020-01-01T00:01:00Z")).Select(c => c!.GetValue<string>()).ToArray();

        Assert.Equal(["p", "1/2", "Terminating", "3", "60s", "<none>", "<none>", "<none>", "1/1"], cells);
    }
}
