using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Seeding;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// The kube-proxy DaemonSet that owns the seeded kube-proxy pods: drain looks a DaemonSet-owned pod's
/// owner up, and a missing one would make every drain fail as it does for an orphaned pod.
/// </summary>
public sealed class DaemonSetSeeder : IEmulatorSeeder
{
    public void Seed(EmulatorContext context)
    {
        // Whichever module serves apps/v1 DaemonSets owns the kind; the store keys objects by it.
        var daemonSets = context.Registry.Find("apps", "v1", "daemonsets") ?? MaintenanceKinds.DaemonSets;
        // Without seeded pods (benchmarks) there is no kube-proxy either: its controller would start one on every node.
        if (!context.Options.SeedPods || context.Store.Find(daemonSets, "kube-system", "kube-proxy") is not null)
        {
            return;
        }
        var nodes = context.Store.List(Kinds.CoreKinds.Nodes).Items.Count;
        var selector = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = "kube-proxy" } };
        context.Store.Create(daemonSets, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kube-proxy",
                ["namespace"] = "kube-system",
                ["uid"] = ClusterSeeder.KubeProxyDaemonSetUid,
                ["labels"] = new JsonObject { ["k8s-app"] = "kube-proxy" },
            },
            ["spec"] = new JsonObject
            {
                ["selector"] = selector,
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["k8s-app"] = "kube-proxy" } },
                    ["spec"] = new JsonObject
                    {
                        ["hostNetwork"] = true,
                        // kubeadm's kube-proxy manifest: it runs on every node, control planes included.
                        ["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }),
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "kube-proxy", ["image"] = $"registry.k8s.io/kube-proxy:{context.Options.KubernetesVersion}" }),
                    },
                },
            },
            ["status"] = new JsonObject
            {
                ["currentNumberScheduled"] = nodes,
                ["desiredNumberScheduled"] = nodes,
                ["numberAvailable"] = nodes,
                ["numberMisscheduled"] = 0,
                ["numberReady"] = nodes,
                ["observedGeneration"] = 1,
                ["updatedNumberScheduled"] = nodes,
            },
        });
    }
}
