using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>kubectl cordon, uncordon and drain against the emulator print what they print against a cluster.</summary>
public sealed class KubectlDrainTests
{
    /// <summary>
    /// A running pod; a managed one is controlled by a ConfigMap that exists, as an operator's object
    /// would control it: the garbage collector deletes pods whose owner does not exist, no controller
    /// here replaces an evicted one, and drain treats every controller kind but DaemonSet alike
    /// (unreplicatedFilter in k8s.io/kubectl/pkg/drain/filters.go).
    /// </summary>
    private static void CreatePod(KubeEmulator emulator, string name, string node, bool managed = true, bool emptyDir = false, string? app = null)
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"NAME","namespace":"default","labels":{"app":"APP"}},
             "spec":{"nodeName":"NODE","terminationGracePeriodSeconds":0,"containers":[{"name":"c","image":"pause:3.10"}]}}
            """.Replace("NAME", name).Replace("APP", app ?? name).Replace("NODE", node))!.AsObject();
        if (managed)
        {
            var owner = emulator.Store.Create(CoreKinds.ConfigMaps, new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"{name}-owner", ["namespace"] = "default" } });
            pod.Metadata()["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = owner.Name(), ["uid"] = owner.StringAt("metadata", "uid"), ["controller"] = true,
            });
        }
        if (emptyDir)
        {
            pod.ObjectAt("spec")["volumes"] = JsonNode.Parse("""[{"name":"scratch","emptyDir":{}}]""");
        }
        PodConditions.MarkRunning(pod, "127.1.0.12", "10.244.1.50", DateTimeOffset.UtcNow);
        emulator.Store.Create(CoreKinds.Pods, pod);
    }

    [KubectlFact]
    public async Task CordonAndUncordonSayWhatTheyDidAndSkipTheWriteWhenNothingChanges()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });

        Assert.Equal("node/worker-1 cordoned", (await Kubectl.RunAsync(emulator.KubeconfigPath, "cordon", "worker-1")).Output.Trim());
        Assert.True(emulator.Store.Get(CoreKinds.Nodes, null, "worker-1").BoolAt("spec", "unschedulable"));
        Assert.Equal("node/worker-1 already cordoned", (await Kubectl.RunAsync(emulator.KubeconfigPath, "cordon", "worker-1")).Output.Trim());
        Assert.Equal("node/worker-1 uncordoned", (await Kubectl.RunAsync(emulator.KubeconfigPath, "uncordon", "worker-1")).Output.Trim());
        Assert.Null(emulator.Store.Get(CoreKinds.Nodes, null, "worker-1").At("spec", "unschedulable"));
    }

    [KubectlFact]
    public async Task DrainWithoutFlagsRefusesEachKindOfPodWithKubectlsOwnMessages()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        CreatePod(emulator, "bare", "worker-1", managed: false);
        CreatePod(emulator, "cache", "worker-1", emptyDir: true);

        var result = await Kubectl.RunAsync(emulator.KubeconfigPath, "drain", "worker-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("node/worker-1 cordoned", result.Output.Trim());
        var proxy = emulator.Store.List(CoreKinds.Pods).Items
            .Single(p => p.Name.StartsWith("kube-proxy-", StringComparison.Ordinal) && p.ToJson().StringAt("spec", "nodeName") == "worker-1").Name;
        Assert.Contains("cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare", result.Error);
        Assert.Contains("cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache", result.Error);
        Assert.Contains($"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/{proxy}", result.Error);
        Assert.Contains("There are pending nodes to be drained:", result.Error);
    }

    [KubectlFact]
    public async Task DrainRetriesABudgetRefusalEvery5SecondsUntilTheBudgetAllowsIt()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        CreatePod(emulator, "web-1", "worker-1", app: "web");
        CreatePod(emulator, "bare", "worker-1", managed: false);
        emulator.Store.Create(MaintenanceKinds.PodDisruptionBudgets, JsonNode.Parse("""
            {"metadata":{"name":"web","namespace":"default"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}}
            """)!.AsObject());
        var relax = Task.Run(async () =>
        {
            await Eventually.IsTrueAsync(() => emulator.Requests.Since(0).Count(r => r.Path.Contains("/web-1/eviction", StringComparison.Ordinal)) >= 1, "the first eviction", 30);
            emulator.Store.Mutate(MaintenanceKinds.PodDisruptionBudgets, "default", "web", pdb =>
            {
                pdb.ObjectAt("spec")["minAvailable"] = 0;
                return true;
            });
        });

        var result = await Kubectl.RunAsync(emulator.KubeconfigPath, "drain", "worker-1", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--grace-period", "1");
        Assert.True(relax.IsCompletedSuccessfully, $"kubectl drain ended before the budget was relaxed: {result.Output} {result.Error}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("error when evicting pods/\"web-1\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.", result.Error);
        // kubectl joins its warnings from a Go map, so their order on the Warning line varies between runs.
        Assert.Contains(result.Error.Split('\n'), line => line.StartsWith("Warning: ", StringComparison.Ordinal)
            && line.Contains("deleting Pods that declare no controller: default/bare", StringComparison.Ordinal));
        Assert.Contains("evicting pod default/web-1", result.Output);
        Assert.Contains("pod/web-1 evicted", result.Output);
        Assert.Contains("pod/bare evicted", result.Output);
        Assert.EndsWith("node/worker-1 drained", result.Output.Trim());
        Assert.Null(emulator.Store.Get(CoreKinds.Pods, "default", "web-1"));
    }
}
