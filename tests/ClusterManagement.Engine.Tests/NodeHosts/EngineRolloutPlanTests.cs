using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Rollout;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>How a rollout that left unreachable nodes out ends: one error naming each node and its reason, none when all were reached.</summary>
public sealed class EngineRolloutPlanTests
{
    [Fact]
    public void APlanThatReachedEveryNodeEndsWithoutError() =>
        Assert.Null(new EngineRolloutPlan([], []).UnreachableError());

    [Fact]
    public void TheErrorNamesEveryNodeLeftOutWithItsReason()
    {
        var plan = new EngineRolloutPlan([], [LeftOut("worker-2", "Cannot reach cmadmin@10.0.0.2:22 over SSH: refused"), LeftOut("worker-5", "cmadmin@10.0.0.5:22 did not answer SSH within 00:00:10.")]);

        var error = plan.UnreachableError()!;

        Assert.Equal("NodeUnreachable", error.ErrorId);
        Assert.Equal(ClusterErrorKind.Unreachable, error.Kind);
        Assert.Equal("worker-2, worker-5", error.Target);
        Assert.Contains("left out 2 node(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("worker-2: Cannot reach cmadmin@10.0.0.2:22 over SSH: refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("worker-5: cmadmin@10.0.0.5:22 did not answer SSH", error.Message, StringComparison.Ordinal);
    }

    private static NodeDockerUpgrade LeftOut(string node, string reason) => new()
    {
        Node = node,
        Batch = 0,
        To = "docker.io latest",
        Drained = false,
        Duration = IsoDuration.Format(TimeSpan.Zero),
        Status = NodeDockerUpgradeStatus.Failed,
        Error = $"{node}: {reason}",
    };
}
