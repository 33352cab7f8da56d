using ClusterManagement.Diagnostics;
using ClusterManagement.Emulator;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Nodes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Nodes;

/// <summary>The node and drain diagnoses: the mapping from what the cluster shows, and the waits that attach them.</summary>
public sealed class NodeDiagnosisTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AReadyNodeHasNoDiagnosis() =>
        Assert.Null(NodeDiagnosis.NotReady(Node(new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = Now }), null, Now));

    [Fact]
    public void AnUnknownNodeIsJudgedByTheLaterOfItsStatusHeartbeatAndItsLease()
    {
        var node = Node(
            new V1NodeCondition { Type = "Ready", Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status.", LastHeartbeatTime = Now.AddMinutes(-10) },
            new V1NodeCondition { Type = "MemoryPressure", Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status." },
            new V1NodeCondition { Type = "DiskPressure", Status = "True", Reason = "KubeletHasDiskPressure", Message = "kubelet has disk pressure" },
            new V1NodeCondition { Type = "PIDPressure", Status = "False", Reason = "KubeletHasSufficientPID", Message = "kubelet has sufficient PID available" });
        node.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoSchedule" }, new V1Taint { Key = "team", Effect = "NoSchedule" }] };
        var lease = new V1Lease { Spec = new V1LeaseSpec { RenewTime = Now.AddMinutes(-3) } };

        var diagnosis = NodeDiagnosis.NotReady(node, lease, Now)!;

        Assert.Equal(DiagnosisCause.NodeNotReady, diagnosis.Cause);
        Assert.Equal("Node worker-1 is Unknown (NodeStatusUnknown: Kubelet stopped posting node status.); its last heartbeat came 3m ago (2026-03-01 11:57:00Z).", diagnosis.Summary);
        Assert.Equal(new DiagnosedObject("Node", null, "worker-1", "Unknown"), Assert.Single(diagnosis.Affected));
        Assert.Equal(
            [
                ("Condition", "NodeStatusUnknown", "Ready is Unknown: Kubelet stopped posting node status."),
                ("Condition", "KubeletHasDiskPressure", "DiskPressure is True: kubelet has disk pressure"),
                ("Lease", "RenewTime", "kube-node-lease/worker-1 last renewed 3m ago (2026-03-01 11:57:00Z)"),
                ("Taint", "node.kubernetes.io/unreachable", "node.kubernetes.io/unreachable:NoSchedule"),
            ],
            diagnosis.Evidence.Select(e => (e.Source, e.Reason, e.Message)));
    }

    [Fact]
    public void ANodeWithoutLeaseOrHeartbeatSaysItSentNone()
    {
        var diagnosis = NodeDiagnosis.NotReady(Node(new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady", Message = "container runtime network not ready" }), null, Now)!;

        Assert.Equal("Node worker-1 is NotReady (KubeletNotReady: container runtime network not ready); it has sent no heartbeat.", diagnosis.Summary);
        Assert.Equal("Ready is False: container runtime network not ready", Assert.Single(diagnosis.Evidence).Message);
    }

    [Fact]
    public void ADrainNamesTheBudgetThatHoldsEachPodAndListsTheOthersAsAffected()
    {
        var result = new NodeDrainResult
        {
            Node = "worker-8",
            Evicted = ["default/free"],
            Skipped = [],
            Failed =
            [
                new DrainPodStatus { Namespace = "default", Name = "finalized", Action = DrainAction.Block, Reason = "evicted, but still terminating when the timeout passed" },
                new DrainPodStatus { Namespace = "default", Name = "guarded", Action = DrainAction.Block, Reason = "not evicted before the timeout: Cannot evict pod as it would violate the pod's disruption budget." },
            ],
            Duration = "PT6S",
        };
        var pods = new[]
        {
            Pod("guarded", new() { ["app"] = "stuck", ["tier"] = "db" }),
            Pod("finalized", new() { ["app"] = "stuck" }, terminating: true),
        };
        var budgets = new[]
        {
            Budget("stuck", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "stuck" } }, healthy: 1, desired: 1, allowed: 0),
            Budget("db", new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["db", "cache"] }] }, healthy: 2, desired: 2, allowed: 0),
            Budget("other", new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "DoesNotExist" }] }, healthy: 3, desired: 1, allowed: 2),
        };

        var diagnosis = NodeDiagnosis.Drain(result, pods, budgets);

        Assert.Equal(DiagnosisCause.DrainBlockedByDisruptionBudget, diagnosis.Cause);
        Assert.Equal(
            "PodDisruptionBudgets allow no more disruptions of the pods left on node worker-8: default/guarded by default/stuck (1 healthy, 1 needed, 0 disruptions allowed), default/db (2 healthy, 2 needed, 0 disruptions allowed). "
                + "Also still on the node: default/finalized (evicted, but still terminating when the timeout passed).",
            diagnosis.Summary);
        Assert.Equal(["finalized: evicted, but still terminating when the timeout passed", "guarded: held by PodDisruptionBudget default/stuck, default/db"], diagnosis.Affected.Select(a => $"{a.Name}: {a.State}"));
        var stuck = Assert.Single(diagnosis.Evidence, e => e.Object == "poddisruptionbudget/stuck");
        Assert.Equal(("PodDisruptionBudget", "InsufficientPods", "currentHealthy 1, desiredHealthy 1, disruptionsAllowed 0, expectedPods 1"), (stuck.Source, stuck.Reason, stuck.Message));
        Assert.Contains(diagnosis.Evidence, e => e.Source == "Eviction" && e.Object == "pod/guarded" && e.Message.Contains("disruption budget", StringComparison.Ordinal));
        Assert.DoesNotContain(diagnosis.Evidence, e => e.Object == "poddisruptionbudget/other");
    }

    [Fact]
    public void ADrainWithoutBudgetsIsUnknownWithEveryPodAffected()
    {
        var result = new NodeDrainResult
        {
            Node = "worker-2",
            Evicted = [],
            Skipped = [],
            Failed = [new DrainPodStatus { Namespace = "team-a", Name = "slow", Action = DrainAction.Block, Reason = "evicted, but still terminating when the timeout passed" }],
            Duration = "PT6S",
        };

        var diagnosis = NodeDiagnosis.Drain(result, [Pod("slow", [], terminating: true, ns: "team-a")], []);

        Assert.Equal(DiagnosisCause.Unknown, diagnosis.Cause);
        Assert.Equal("team-a/slow", $"{Assert.Single(diagnosis.Affected).Namespace}/{diagnosis.Affected[0].Name}");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("{}", true)]
    public void BudgetSelectorsFollowPolicyV1(string? selector, bool selects) =>
        Assert.Equal(selects, DisruptionBudgets.Selects(selector is null ? null : new V1LabelSelector(), new Dictionary<string, string> { ["app"] = "x" }));

    [Fact]
    public async Task AReadinessWaitThatTimesOutOnAStoppedKubeletCarriesTheNodeDiagnosis()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, HeartbeatSeconds = 0.2, NodeGraceSeconds = 1 });
        var connection = await SilenceAsync(emulator, "worker-1");

        var error = await Assert.ThrowsAsync<ClusterException>(() =>
            NodeReadinessWait.UntilAsync(connection, "worker-1", r => r == NodeReadiness.Ready, TimeSpan.FromSeconds(1), NullOperationLog.Instance, CancellationToken.None));

        Assert.Equal("NodeReadinessTimeout", error.ErrorId);
        var diagnosis = Assert.IsType<Diagnosis>(error.Diagnosis);
        Assert.Equal(DiagnosisCause.NodeNotReady, diagnosis.Cause);
        Assert.Contains(diagnosis.Evidence, e => e.Source == "Condition" && e.Reason == "NodeStatusUnknown" && e.Message == "Ready is Unknown: Kubelet stopped posting node status.");
        Assert.Contains(diagnosis.Evidence, e => e.Source == "Lease" && e.LastSeen is not null);
        Assert.StartsWith("Node worker-1 did not reach the expected state within", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{Environment.NewLine}Cause: Node worker-1 is Unknown (NodeStatusUnknown: Kubelet stopped posting node status.); its last heartbeat came", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedDiagnosisReadLeavesTheTimeoutAsItWas()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 1, HeartbeatSeconds = 0.2, NodeGraceSeconds = 1 });
        var connection = await SilenceAsync(emulator, "worker-1");
        var fault = emulator.Faults.Add(new Emulator.Faults.FaultRule { Method = "GET", Path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1", StatusCode = 403, Message = "no leases for you" });

        var error = await Assert.ThrowsAsync<ClusterException>(() =>
            NodeReadinessWait.UntilAsync(connection, "worker-1", r => r == NodeReadiness.Ready, TimeSpan.FromSeconds(1), NullOperationLog.Instance, CancellationToken.None));

        Assert.True(emulator.Faults.Find(fault)!.Value.Hits > 0);
        Assert.Equal("NodeReadinessTimeout", error.ErrorId);
        Assert.Null(error.Diagnosis);
        Assert.DoesNotContain("Cause:", error.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> LeaseExistsAsync(ClusterConnection connection, string node)
    {
        try
        {
            await connection.Client.CoordinationV1.ReadNamespacedLeaseAsync(node, "kube-node-lease");
            return true;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Stops the node's kubelet and waits until the lifecycle controller has marked it Unknown.</summary>
    private static async Task<ClusterConnection> SilenceAsync(KubeEmulator emulator, string node)
    {
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        // The kubelet's first Lease renewal can come after its first status post: stop it only once both exist.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await LeaseExistsAsync(connection, node))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no Lease for {node} within 30 s");
            await Task.Delay(100);
        }
        emulator.Heartbeats.Stop(node);
        await NodeReadinessWait.UntilAsync(connection, node, r => r == NodeReadiness.NotReady, TimeSpan.FromSeconds(30), NullOperationLog.Instance, CancellationToken.None);
        return connection;
    }

    private static V1Node Node(params V1NodeCondition[] conditions) =>
        new() { Metadata = new V1ObjectMeta { Name = "worker-1" }, Status = new V1NodeStatus { Conditions = conditions } };

    private static V1Pod Pod(string name, Dictionary<string, string> labels, bool terminating = false, string ns = "default") =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels, DeletionTimestamp = terminating ? Now : null } };

    private static V1PodDisruptionBudget Budget(string name, V1LabelSelector selector, int healthy, int desired, int allowed) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodDisruptionBudgetSpec { Selector = selector },
        Status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            DisruptionsAllowed = allowed,
            ExpectedPods = healthy,
            Conditions = [new V1Condition { Type = "DisruptionAllowed", Status = allowed > 0 ? "True" : "False", Reason = allowed > 0 ? "SufficientPods" : "InsufficientPods", Message = "", LastTransitionTime = Now }],
        },
    };
}
