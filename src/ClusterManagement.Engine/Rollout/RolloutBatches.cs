using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.Rollout;

/// <summary>Splits nodes into rollout batches of at most maxUnavailable, in the order given.</summary>
internal static class RolloutBatches
{
    public static IReadOnlyList<IReadOnlyList<T>> Plan<T>(IReadOnlyList<T> items, int maxUnavailable)
    {
        if (maxUnavailable < 1)
        {
            throw new ClusterException(ClusterErrors.MaxUnavailableInvalid, "-MaxUnavailable must be at least 1.");
        }

        return items.Chunk(maxUnavailable).Select(batch => (IReadOnlyList<T>)batch).ToList();
    }
}
