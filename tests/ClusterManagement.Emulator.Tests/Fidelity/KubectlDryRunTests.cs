using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.Fidelity;

/// <summary>
/// kubectl's --dry-run=server: every command sends its real writes with dryRun=All, prints "(server dry
/// run)", and the cluster is exactly as before: the objects, the global resourceVersion, and what a watch
/// opened before the command sees (nothing until the next real write).
/// </summary>
public sealed class KubectlDryRunTests(QuietEmulatorFixture fixture) : IClassFixture<QuietEmulatorFixture>
{
    private KubeEmulator Emulator => fixture.Emulator;

    /// <summary>Runs kubectl and checks it wrote only dry: the writes it sent, the state after, a watch's view.</summary>
    private async Task<Kubectl.Result> RunDryAsync(string expectedOutput, params string[] args)
    {
        var rv = await fixture.SettledResourceVersionAsync();
        var nodes = Emulator.Store.List(CoreKinds.Nodes).Items.Select(n => n.ToJson()).ToList();
        var web = Emulator.Store.Get(AppsKinds.Deployments, "default", "web");
        var pods = Emulator.Store.List(CoreKinds.Pods).Items.Select(p => p.Name).ToList();
        var since = Emulator.Requests.LastSequence;
        await using var watch = await WatchReader.OpenAsync(fixture.Admin.Http, $"/api/v1/nodes?watch=1&resourceVersion={rv}");

        var result = await Kubectl.RunAsync(Emulator.KubeconfigPath, [.. args, "--dry-run=server"]);

        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {result.Output} {result.Error}");
        Assert.Contains(expectedOutput, result.Output, StringComparison.Ordinal);
        var writes = Emulator.Requests.Since(since).Where(r => r.Method is not "GET").ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.True(w.Path.Contains("dryRun=All", StringComparison.Ordinal) || (w.Body ?? "").Contains("\"dryRun\":[\"All\"]", StringComparison.Ordinal),
            $"{w.Method} {w.Path} {w.Body}"));
        Assert.Equal(rv, Emulator.Store.ResourceVersion);
        Assert.True(JsonNode.DeepEquals(new JsonArray([.. nodes]), new JsonArray([.. Emulator.Store.List(CoreKinds.Nodes).Items.Select(n => (JsonNode)n.ToJson())])));
        Assert.True(JsonNode.DeepEquals(web, Emulator.Store.Get(AppsKinds.Deployments, "default", "web")));
        Assert.Equal(pods, Emulator.Store.List(CoreKinds.Pods).Items.Select(p => p.Name).ToList());
        Emulator.Store.Mutate(CoreKinds.Nodes, null, "worker-1", n =>
        {
            n.Metadata().ObjectAt("annotations")["dry-run-test/marker"] = rv.ToString();
            return true;
        });
        var first = await watch.NextAsync();
        Assert.Equal(rv.ToString(), first.StringAt("object", "metadata", "annotations", "dry-run-test/marker"));
        return result;
    }

    [KubectlFact]
    public async Task NodeCommandsChangeNothing()
    {
        // kubectl taint prints no dry-run suffix of its own.
        await RunDryAsync("node/worker-1 tainted", "taint", "nodes", "worker-1", "dedicated=db:NoSchedule");
        await RunDryAsync("node/worker-1 cordoned (server dry run)", "cordon", "worker-1");
        await RunDryAsync("node/worker-1 labeled (server dry run)", "label", "nodes", "worker-1", "disk=ssd");
    }

    [KubectlFact]
    public async Task DeploymentCommandsChangeNothing()
    {
        await RunDryAsync("deployment.apps/web scaled (server dry run)", "scale", "deployment", "web", "--replicas=5");
        await RunDryAsync("deployment.apps/web image updated (server dry run)", "set", "image", "deployment/web", "web=nginx:1.29-dry");
    }

    [KubectlFact]
    public async Task RolloutUndoChangesNothing()
    {
        var release = await Kubectl.RunAsync(Emulator.KubeconfigPath, "set", "image", "deployment/web", "web=nginx:1.28");
        Assert.True(release.ExitCode == 0, release.Error);
        await Eventually.IsTrueAsync(() => Emulator.Store.List(AppsKinds.ReplicaSets, "default").Items.Count(r => r.Name.StartsWith("web-", StringComparison.Ordinal)) == 2, "the second revision");

        await RunDryAsync("deployment.apps/web rolled back (server dry run)", "rollout", "undo", "deployment/web");
    }

    [KubectlFact]
    public async Task CreateAndDeleteChangeNothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"dry-run-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry-config","namespace":"default"},"data":{"k":"v"}}""");
        try
        {
            await RunDryAsync("configmap/dry-config created (server dry run)", "create", "-f", file, "--validate=false");
            Assert.Null(Emulator.Store.Get(CoreKinds.ConfigMaps, "default", "dry-config"));
            Emulator.Store.Create(CoreKinds.ConfigMaps, JsonNode.Parse("""{"metadata":{"name":"kept","namespace":"default"},"data":{"k":"v"}}""")!.AsObject());
            await RunDryAsync("configmap \"kept\" deleted (server dry run)", "delete", "configmap", "kept", "-n", "default");
            Assert.NotNull(Emulator.Store.Get(CoreKinds.ConfigMaps, "default", "kept"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [KubectlFact]
    public async Task DrainEvictsNothing()
    {
        var result = await RunDryAsync("node/worker-1 drained (server dry run)", "drain", "worker-1", "--ignore-daemonsets", "--delete-emptydir-data", "--force");

        Assert.Contains("node/worker-1 cordoned (server dry run)", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"evicting pod default/web-[a-z0-9]+-[a-z0-9]{5} \(server dry run\)", result.Output);
    }
}
