using ClusterManagement.Apps;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.Apps;

/// <summary>The error a rollout wait ends with when the rollout did not complete, carrying its diagnosis.</summary>
internal static class RolloutFailure
{
    /// <summary>Null for a rollout that completed or had nothing to do.</summary>
    public static ClusterException? Of(AppRollout rollout) => rollout.Status switch
    {
        AppRolloutStatus.Failed => new ClusterException(ClusterErrors.AppProgressDeadlineExceeded, rollout.Message, rollout.App) { Diagnosis = rollout.Diagnosis },
        AppRolloutStatus.Progressing => new ClusterException(ClusterErrors.AppRolloutTimeout, rollout.Message, rollout.App) { Diagnosis = rollout.Diagnosis },
        _ => null,
    };
}
