using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Events;

/// <summary>
/// For benchmarks, <see cref="EmulatorOptions.SeedEvents"/> past events about the nodes, written straight into
/// the store: every fifth a repeated core/v1 series (count), every seventh an events.k8s.io-style series, over
/// the last hour, in <c>default</c> (where events about cluster-scoped objects go) and <c>kube-system</c>.
/// </summary>
public sealed class EventSeeder : IEmulatorSeeder
{
    public void Seed(EmulatorContext context)
    {
        var count = context.Options.SeedEvents;
        var nodes = context.Store.List(CoreKinds.Nodes).Items.Select(n => n.ToJson()).ToList();
        if (count <= 0 || nodes.Count == 0)
        {
            return;
        }
        var now = context.Time.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            var node = nodes[i % nodes.Count];
            var first = now - TimeSpan.FromSeconds(3600 - (3600.0 * i / count));
            var last = i % 5 == 0 ? first + TimeSpan.FromSeconds(30) : first;
            var ev = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = $"{node.Name()}.bench{i:x8}", ["namespace"] = i % 2 == 0 ? "default" : "kube-system" },
                ["involvedObject"] = new JsonObject
                {
                    ["kind"] = "Node", ["apiVersion"] = "v1", ["name"] = node.Name(), ["uid"] = node.StringAt("metadata", "uid"),
                },
                ["reason"] = i % 3 == 0 ? "NodeHasSufficientMemory" : "Starting",
                ["message"] = $"Node {node.Name()} status is now: NodeHasSufficientMemory ({i})",
                ["type"] = i % 11 == 0 ? "Warning" : "Normal",
                ["source"] = new JsonObject { ["component"] = "kubelet", ["host"] = node.Name() },
                ["firstTimestamp"] = Timestamps.Format(first),
                ["lastTimestamp"] = Timestamps.Format(last),
                ["count"] = i % 5 == 0 ? 4 : 1,
                ["reportingComponent"] = "kubelet",
                ["reportingInstance"] = node.Name(),
            };
            if (i % 7 == 0)
            {
                ev["series"] = new JsonObject { ["count"] = 3, ["lastObservedTime"] = Timestamps.FormatMicro(last) };
            }
            context.Store.Create(CoreKinds.Events, ev);
        }
    }
}
