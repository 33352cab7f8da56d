using System.Text.Json;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Faults;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Engine.Rollout;
using ClusterManagement.Tests.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Nodes;

/// <summary>The one drain sequence and the one cordon, against the in-process emulator (its PDB admission and patch preconditions).</summary>
public sealed class NodeDrainTests
{
    private const string Mark = EngineRollout.CordonMark;

    private static readonly DrainOptions Options = new() { IgnoreDaemonSets = true, DeleteUnmanagedPods = true, Timeout = TimeSpan.FromSeconds(3), EvictionRetryDelay = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task ADrainABudgetBlocksNamesTheNodePodAndBudgetAndLeavesTheNodeCordoned()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Open(emulator);
        await GuardedPodAsync(connection, "worker-1", "guarded");
        var drain = new NodeDrain(new NodeMaintenance(connection, NullOperationLog.Instance), NullOperationLog.Instance);

        var error = await Assert.ThrowsAsync<ClusterException>(() => drain.RunAsync("worker-1", Options, cordonMark: null, CancellationToken.None));

        Assert.Equal("DrainIncomplete", error.ErrorId);
        Assert.Equal(ClusterErrorKind.OperationFailed, error.Kind);
        Assert.Contains("Node worker-1 cannot be drained. The node stays cordoned", error.Message, StringComparison.Ordinal);
        Assert.Matches("default/guarded: not evicted before the timeout: .*disruption budget guarded needs 1 healthy pods", error.Message);
        var result = Assert.IsType<NodeDrainResult>(error.Target);
        Assert.Contains(result.Failed, f => f.Name == "guarded" && f.Reason!.Contains("disruption budget guarded", StringComparison.Ordinal));
        Assert.True((await connection.Client.CoreV1.ReadNodeAsync("worker-1")).Spec.Unschedulable);
        var diagnosis = Assert.IsType<Diagnosis>(error.Diagnosis);
        Assert.Equal(DiagnosisCause.DrainBlockedByDisruptionBudget, diagnosis.Cause);
        Assert.Contains(new DiagnosedObject("Pod", "default", "guarded", "held by PodDisruptionBudget default/guarded"), diagnosis.Affected);
        Assert.Contains(diagnosis.Evidence, e => e.Source == "PodDisruptionBudget" && e.Object == "poddisruptionbudget/guarded" && e.Message.Contains("disruptionsAllowed 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADrainKubectlWouldRefuseChangesNothing()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Open(emulator);
        await connection.Client.CoreV1.CreateNamespacedPodAsync(Pod("worker-1", "bare", new Dictionary<string, string>()), "default");
        var drain = new NodeDrain(new NodeMaintenance(connection, NullOperationLog.Instance), NullOperationLog.Instance);

        var error = await Assert.ThrowsAsync<ClusterException>(() => drain.RunAsync("worker-1", Options with { DeleteUnmanagedPods = false }, cordonMark: null, CancellationToken.None));

        Assert.Equal("DrainBlocked", error.ErrorId);
        Assert.Equal(ClusterErrorKind.OperationFailed, error.Kind);
        Assert.Contains("Nothing was changed.", error.Message, StringComparison.Ordinal);
        Assert.Contains("default/bare", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(true, (await connection.Client.CoreV1.ReadNodeAsync("worker-1")).Spec.Unschedulable);
    }

    [Fact]
    public async Task AnEngineRolloutWhoseDrainABudgetBlocksEndsWithTheBudgetNotACancellation()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Open(emulator);
        await GuardedPodAsync(connection, "worker-1", "guarded");
        var log = new RecordingLog();
        // The node's budget is short, as in the issue: the drain used to be cancelled by it and said only "canceled".
        var work = new EngineRollout(connection, new NodeConnector(connection, new NodeAccessOptions(), log), new EngineUpgradeOptions(Options with { Timeout = null }, TimeSpan.FromSeconds(3)), log);

        var error = await Assert.ThrowsAsync<ClusterException>(() => work.Cycle.TakeOutOfServiceAsync("worker-1", System.Diagnostics.Stopwatch.StartNew(), CancellationToken.None));

        Assert.Equal("DrainIncomplete", error.ErrorId);
        Assert.StartsWith("Node worker-1 cannot be drained. The node stays cordoned", error.Message, StringComparison.Ordinal);
        Assert.Matches("default/guarded: not evicted before the timeout: .*disruption budget guarded", error.Message);
        Assert.True((await connection.Client.CoreV1.ReadNodeAsync("worker-1")).Spec.Unschedulable);
    }

    [Fact]
    public async Task AnEngineRolloutReachesTheHostBeforeItCordonsAndReportsEveryNode()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 3 });
        var connection = Open(emulator);
        var log = new RecordingLog();
        var work = new EngineRollout(connection, new NodeConnector(connection, new NodeAccessOptions(), log), new EngineUpgradeOptions(Options, TimeSpan.FromSeconds(10)), log);
        var nodes = new NodeService(connection);
        async Task<EngineUpgradeItem> Item(string name, bool needsChange) => new(
            await nodes.GetAsync(name, CancellationToken.None),
            // Nothing listens on the discard port: the host cannot be reached for the download that comes before the cordon.
            new NodeEndpoint(name, new SshTarget("127.0.0.1", 9, "nobody"), null),
            new ResolvedEngine(new EngineTarget(EngineSource.Distribution, "20.10", null), new Dictionary<string, string> { ["docker.io"] = "20.10.24" }),
            "docker.io 20.10.5",
            needsChange,
            LegacyListener: false);
        IReadOnlyList<IReadOnlyList<EngineUpgradeItem>> batches = [[await Item("worker-1", true), await Item("worker-2", false)], [await Item("worker-3", true)]];

        var results = new List<NodeDockerUpgrade>();
        var error = await Assert.ThrowsAsync<ClusterException>(async () =>
        {
            await foreach (var result in new RolloutRunner<EngineUpgradeItem, NodeDockerUpgrade>(work, "test", log).RunAsync(batches, CancellationToken.None))
            {
                results.Add(result);
            }
        });

        Assert.Equal(["worker-1 Failed 1", "worker-2 Current 1", "worker-3 NotStarted 2"], results.Select(r => $"{r.Node} {r.Status} {r.Batch}"));
        Assert.StartsWith("The rollout stopped after batch 1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("worker-1 was not cordoned and nothing was installed on it.", results[0].Error, StringComparison.Ordinal);
        Assert.All(results, r => Assert.Null(r.UnavailableFor));
        foreach (var name in new[] { "worker-1", "worker-3" })
        {
            var node = await connection.Client.CoreV1.ReadNodeAsync(name);
            Assert.NotEqual(true, node.Spec.Unschedulable);
            Assert.False(node.Metadata.Annotations?.ContainsKey(Mark) ?? false);
        }
    }

    [Fact]
    public async Task EachEvictionMovesTheProgressOnAsItHappensAndIsLoggedAsKubectlPrintsIt()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Open(emulator);
        string[] names = ["bare-1", "bare-2", "bare-3"];
        foreach (var name in names)
        {
            await connection.Client.CoreV1.CreateNamespacedPodAsync(Pod("worker-1", name, new Dictionary<string, string>()), "default");
        }

        var log = new RecordingLog();
        var drain = new NodeDrain(new NodeMaintenance(connection, log), log);
        var evicting = (await drain.PlanAsync("worker-1", Options, CancellationToken.None)).Evict.Length;

        var result = await drain.RunAsync("worker-1", Options with { GracePeriodSeconds = 0 }, cordonMark: null, CancellationToken.None);

        Assert.True(evicting >= names.Length);
        Assert.Equal(evicting, result.Evicted.Count);
        var counts = log.ProgressReports.Where(p => !p.Completed).Select(p => p.Status).ToList();
        Assert.Equal(Enumerable.Range(0, evicting + 1).Select(n => $"{n} of {evicting} pods evicted"), counts);
        Assert.Equal(Enumerable.Range(0, evicting + 1).Select(n => n * 100 / evicting), log.ProgressReports.Where(p => !p.Completed).Select(p => p.PercentComplete));
        Assert.True(log.ProgressReports[^1].Completed);
        foreach (var name in names)
        {
            var started = log.Messages.IndexOf($"evicting pod default/{name}");
            var done = log.Messages.IndexOf($"pod/{name} evicted");
            Assert.InRange(started, 0, done - 1);
            // The count moves on with this pod, not at the end: the next progress report counts it.
            var rank = log.Messages.Take(done + 1).Count(m => m.StartsWith("pod/", StringComparison.Ordinal));
            Assert.Equal($"progress: {rank} of {evicting} pods evicted", log.Messages.Skip(done).First(m => m.StartsWith("progress: ", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task TheOwnerOfACordonUncordonsIt()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var maintenance = new NodeMaintenance(Open(emulator), NullOperationLog.Instance);

        var (cordoned, _) = await maintenance.SetUnschedulableAsync("worker-1", true, Mark, CancellationToken.None);
        Assert.True(cordoned.Annotations.ContainsKey(Mark));
        var (node, changed) = await maintenance.SetUnschedulableAsync("worker-1", false, Mark, CancellationToken.None);

        Assert.True(changed);
        Assert.False(node.Unschedulable);
        Assert.False(node.Annotations.ContainsKey(Mark));
    }

    [Fact]
    public async Task ANodeSomeoneElseCordonedFirstGetsNoMarkAndStaysCordoned()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var maintenance = new NodeMaintenance(Open(emulator), NullOperationLog.Instance);
        await maintenance.SetUnschedulableAsync("worker-1", true, mark: null, CancellationToken.None);

        var (cordoned, changedByCordon) = await maintenance.SetUnschedulableAsync("worker-1", true, Mark, CancellationToken.None);
        var (node, changedByUncordon) = await maintenance.SetUnschedulableAsync("worker-1", false, Mark, CancellationToken.None);

        Assert.False(changedByCordon);
        Assert.False(cordoned.Annotations.ContainsKey(Mark));
        Assert.False(changedByUncordon);
        Assert.True(node.Unschedulable);
    }

    [Fact]
    public async Task ACordonTakenOverBetweenTheReadAndTheUncordonWins()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Open(emulator);
        var log = new RecordingLog();
        var maintenance = new NodeMaintenance(connection, log);
        await maintenance.SetUnschedulableAsync("worker-1", true, Mark, CancellationToken.None);
        var since = emulator.Requests.LastSequence;
        // Holds the uncordon's patch after its read, long enough for someone else to write in between.
        var fault = emulator.Faults.Add(new FaultRule { Method = "PATCH", Path = "/api/v1/nodes/worker-1", LatencyMilliseconds = 1500, Times = 1 });

        var uncordon = maintenance.SetUnschedulableAsync("worker-1", false, Mark, CancellationToken.None);
        for (var i = 0; i < 100 && emulator.Faults.Rules.Any(r => r.Id == fault); i++)
        {
            await Task.Delay(50);
        }

        Assert.DoesNotContain(emulator.Faults.Rules, r => r.Id == fault);
        // Someone else takes the cordon over: their annotation instead of the rollout's mark.
        var takeover = JsonSerializer.Serialize(new { metadata = new { annotations = new Dictionary<string, string?> { [Mark] = null, ["example.com/cordoned-by"] = "admin" } }, spec = new { unschedulable = true } });
        await connection.Client.CoreV1.PatchNodeAsync(new V1Patch(takeover, V1Patch.PatchType.MergePatch), "worker-1");
        var (node, changed) = await uncordon;

        Assert.False(changed);
        Assert.True(node.Unschedulable);
        Assert.Equal("admin", node.Annotations["example.com/cordoned-by"]);
        Assert.Contains(emulator.Requests.Since(since), r => r.Method == "PATCH" && r.Status == 409);
        Assert.Contains("Node worker-1 was cordoned by someone else; it stays cordoned.", log.Messages);
    }

    [Fact]
    public async Task AFailureAfterTheCordonSaysTheNodeStaysCordoned()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1 });
        var connection = Open(emulator);
        var outage = "";
        // The server goes away the moment the cordon is confirmed, before the pods are listed again.
        var log = new CallbackLog(message =>
        {
            if (message == "Node worker-1 cordoned.")
            {
                outage = emulator.Faults.Add(new FaultRule { Path = "*", Abort = true, DurationMilliseconds = 30_000 });
            }
        });
        var drain = new NodeDrain(new NodeMaintenance(connection, log), log);

        var error = await Assert.ThrowsAsync<ClusterException>(() => drain.RunAsync("worker-1", Options, cordonMark: null, CancellationToken.None));

        Assert.Equal("DrainInterrupted", error.ErrorId);
        Assert.Equal(ClusterErrorKind.Unreachable, error.Kind);
        Assert.StartsWith("Node worker-1 was cordoned, but its drain was interrupted: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("The node stays cordoned; run the command again to continue.", error.Message, StringComparison.Ordinal);
        Assert.True(emulator.Faults.Find(outage)?.Hits > 0);
        emulator.Faults.Clear();
        Assert.True((await connection.Client.CoreV1.ReadNodeAsync("worker-1")).Spec.Unschedulable);
    }

    private sealed class CallbackLog(Action<string> onVerbose) : IOperationLog
    {
        public void Verbose(string message) => onVerbose(message);
        public void Warning(string message) { }
        public void Progress(OperationProgress progress) { }
        public void Secret(string value) { }
    }

    private static ClusterConnection Open(KubeEmulator emulator) =>
        ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });

    private static V1Pod Pod(string node, string name, Dictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = labels },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "registry.k8s.io/pause:3.9" }] },
    };

    /// <summary>One running pod under a budget that allows no disruption.</summary>
    private static async Task GuardedPodAsync(ClusterConnection connection, string node, string name)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        await connection.Client.CoreV1.CreateNamespacedPodAsync(Pod(node, name, labels), "default");
        await connection.Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(
            new V1PodDisruptionBudget
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
                Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = labels } },
            },
            "default");
        for (var i = 0; i < 200 && (await connection.Client.CoreV1.ReadNamespacedPodAsync(name, "default")).Status?.Phase != "Running"; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("Running", (await connection.Client.CoreV1.ReadNamespacedPodAsync(name, "default")).Status?.Phase);
    }
}
