using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>kubectl rollout status for DaemonSets and StatefulSets, and chunked lists, against the emulated controllers and store.</summary>
public sealed class WorkloadFidelityTests
{
    private static JsonObject Workload(string kind, string name, string image, int? replicas = null)
    {
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = image }) },
            },
        };
        if (replicas is { } count)
        {
            spec["replicas"] = count;
            spec["serviceName"] = name;
        }
        return new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["spec"] = spec };
    }

    [KubectlFact]
    public async Task RolloutStatusWaitsForDaemonSetAndStatefulSetPods()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 2, PodReadySeconds = 0.3 });
        var kubeconfig = emulator.KubeconfigPath;
        using var api = new ApiClient(emulator.CreateClient());
        // Through the API, so the defaulted update strategy kubectl rollout status reads is there.
        Assert.Equal(System.Net.HttpStatusCode.Created, (await api.PostAsync("/apis/apps/v1/namespaces/default/daemonsets", Workload("DaemonSet", "agent", "agent:1"))).Status);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await api.PostAsync("/apis/apps/v1/namespaces/default/statefulsets", Workload("StatefulSet", "db", "db:1", replicas: 2))).Status);

        var daemon = await Kubectl.RunAsync(kubeconfig, "rollout", "status", "daemonset/agent", "--timeout=30s");
        Assert.True(daemon.ExitCode == 0, daemon.Error + daemon.Output);
        Assert.Equal("daemon set \"agent\" successfully rolled out", daemon.Output.Trim().Split('\n')[^1]);
        var stateful = await Kubectl.RunAsync(kubeconfig, "rollout", "status", "statefulset/db", "--timeout=30s");
        Assert.True(stateful.ExitCode == 0, stateful.Error + stateful.Output);
        // The defaulted partition (0) makes kubectl report a partitioned roll out, as on a real cluster.
        Assert.Equal("partitioned roll out complete: 2 new pods have been updated...", stateful.Output.Trim().Split('\n')[^1]);

        var table = await Kubectl.RunAsync(kubeconfig, "get", "ds,sts", "-o", "wide");
        var lines = table.Output.Trim().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$", lines[0]);
        Assert.Matches(@"^daemonset\.apps/agent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\d+s\s+main\s+agent:1\s+app=agent$", lines[1]);
        Assert.Matches(@"^statefulset\.apps/db\s+2/2\s+\d+s\s+main\s+db:1$", lines.Single(l => l.StartsWith("statefulset.apps/db", StringComparison.Ordinal)));
    }

    [KubectlFact]
    public async Task ChunkedGetListsEveryNodeOnceAcrossPages()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 6, SeedPods = false });

        var chunked = await Kubectl.RunAsync(emulator.KubeconfigPath, "get", "nodes", "--chunk-size=2", "-o", "name");

        Assert.Equal(0, chunked.ExitCode);
        Assert.Equal(["node/cp-1", .. Enumerable.Range(1, 6).Select(i => $"node/worker-{i}")], chunked.Output.Trim().Split('\n'));
        var lists = emulator.Requests.Since(0).Where(r => r.Method == "GET" && r.Path.StartsWith("/api/v1/nodes?", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lists.Count);
        Assert.All(lists, r => Assert.Contains("limit=2", r.Path));
        Assert.All(lists.Skip(1), r => Assert.Contains("continue=", r.Path));
    }

    [KubectlFact]
    public async Task DeleteNamespaceWaitsUntilItsContentAndTheNamespaceAreGone()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false, PodReadySeconds = 0.2 });
        var kubeconfig = emulator.KubeconfigPath;
        using var api = new ApiClient(emulator.CreateClient());
        // Through the API: kubectl's generators send protobuf, another part of the emulator's work.
        await api.PostAsync("/api/v1/namespaces", JsonNode.Parse("""{"metadata":{"name":"doomed"}}""")!);
        // A pod with a grace period keeps the namespace Terminating for that long, as a kubelet stopping it would.
        Assert.Equal(System.Net.HttpStatusCode.Created, (await api.PostAsync("/api/v1/namespaces/doomed/pods", JsonNode.Parse("""
            {"metadata":{"name":"slow"},"spec":{"nodeName":"worker-1","terminationGracePeriodSeconds":2,"containers":[{"name":"c","image":"pause:3.10"}]}}
            """)!)).Status);

        var started = DateTime.UtcNow;
        var deleted = await Kubectl.RunAsync(kubeconfig, "delete", "namespace", "doomed");

        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Equal("namespace \"doomed\" deleted", deleted.Output.Trim());
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5), "kubectl waited for the pod's grace period");
        var gone = await Kubectl.RunAsync(kubeconfig, "get", "namespace", "doomed");
        Assert.Equal("Error from server (NotFound): namespaces \"doomed\" not found", gone.Error.Trim());
    }

    [KubectlFact]
    public async Task CreatingInATerminatingNamespaceIsForbidden()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, SeedPods = false });
        var kubeconfig = emulator.KubeconfigPath;
        using var api = new ApiClient(emulator.CreateClient());
        await api.PostAsync("/api/v1/namespaces", JsonNode.Parse("""{"metadata":{"name":"closing"}}""")!);
        await api.PostAsync("/api/v1/namespaces/closing/configmaps", JsonNode.Parse("""{"metadata":{"name":"held","finalizers":["example.com/hold"]}}""")!);
        Assert.Equal(0, (await Kubectl.RunAsync(kubeconfig, "delete", "namespace", "closing", "--wait=false")).ExitCode);

        var manifest = Path.Combine(Path.GetTempPath(), $"late-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n  namespace: closing\n");
        var refused = await Kubectl.RunAsync(kubeconfig, "apply", "-f", manifest, "--validate=false");
        File.Delete(manifest);
        var phase = await Kubectl.RunAsync(kubeconfig, "get", "namespace", "closing", "-o", "jsonpath={.status.phase}");

        Assert.Equal($"Error from server (Forbidden): error when creating \"{manifest}\": configmaps \"late\" is forbidden: unable to create new content in namespace closing because it is being terminated", refused.Error.Trim());
        Assert.Equal("Terminating", phase.Output.Trim());
    }
}
