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
        Assert.Matches(@"^partitioned roll out complete: 2 new pods have been updated\.\.\.$|^statefulset rolling update complete 2 pods at revision db-\w+\.\.\.$", stateful.Output.Trim().Split('\n')[^1]);
        // While db-0 was not ready, db-1 could not exist: kubectl saw the set waiting.
        Assert.Contains("Waiting for", stateful.Output);

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
}
