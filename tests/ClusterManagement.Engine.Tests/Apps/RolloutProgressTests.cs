using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
using k8s.Models;

namespace ClusterManagement.Tests.Apps;

/// <summary>kubectl rollout status's checks, in its order (pkg/polymorphichelpers/rollout_status.go).</summary>
public sealed class RolloutProgressTests
{
    private static V1Deployment D(long generation, long observed, int replicas, int updated, int total, int available, string? progressingReason = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed,
            UpdatedReplicas = updated,
            Replicas = total,
            AvailableReplicas = available,
            Conditions = progressingReason is null ? null : [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = progressingReason }],
        },
    };

    [Theory]
    [InlineData(2, 1, 3, 3, 3, 3, null, AppRolloutStatus.Progressing, "Waiting for deployment spec update to be observed...")]
    [InlineData(2, 2, 3, 1, 3, 3, "ProgressDeadlineExceeded", AppRolloutStatus.Failed, "deployment \"web\" exceeded its progress deadline")]
    [InlineData(2, 2, 3, 1, 4, 3, null, AppRolloutStatus.Progressing, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...")]
    [InlineData(2, 2, 3, 3, 4, 3, null, AppRolloutStatus.Progressing, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...")]
    [InlineData(2, 2, 3, 3, 3, 2, null, AppRolloutStatus.Progressing, "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...")]
    [InlineData(2, 2, 3, 3, 3, 3, null, AppRolloutStatus.Complete, "deployment \"web\" successfully rolled out")]
    public void FollowsKubectlsOrderAndWording(long generation, long observed, int replicas, int updated, int total, int available, string? reason, AppRolloutStatus status, string message)
    {
        var state = RolloutProgress.Evaluate(D(generation, observed, replicas, updated, total, available, reason));
        Assert.Equal(status, state.Status);
        Assert.Equal(message, state.Message);
    }

    [Fact]
    public void PercentIsUpdatedAndAvailableOverDesired() =>
        Assert.Equal(50, RolloutProgress.Evaluate(D(1, 1, 4, 2, 4, 3)).Percent);
}
