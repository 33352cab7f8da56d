using ClusterManagement.Common;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Nodes;

/// <summary>
/// The one drain sequence of the module (Suspend-ClusterNode -Drain, Remove-ClusterNode, Update-NodeDocker):
/// plan, cordon, plan again, evict, verdict. Each outcome has one error: <c>DrainBlocked</c> when kubectl's
/// filters refuse a pod, <c>DrainIncomplete</c> when pods are still on the node at the end (its target is the
/// <see cref="NodeDrainResult"/>). Both are OperationFailed: an incomplete drain is not always a timeout
/// (an eviction the server keeps failing ends it early), and the error id already says which it was.
/// </summary>
public sealed class NodeDrain(NodeMaintenance maintenance, IOperationLog log)
{
    /// <summary>The plan of a drain, refused with DrainBlocked before anything changes when kubectl would refuse it.</summary>
    public async Task<DrainPlan> PlanAsync(string node, DrainOptions options, CancellationToken cancellationToken)
    {
        var plan = await maintenance.PlanDrainAsync(node, options, cancellationToken).ConfigureAwait(false);
        ThrowIfBlocked(plan, "Nothing was changed.");
        return plan;
    }

    /// <summary>
    /// Cordons (with <paramref name="cordonMark"/>, see <see cref="NodeMaintenance.SetUnschedulableAsync"/>) and drains.
    /// The pods are listed again once the node is cordoned, so pods that landed after the plan go as well.
    /// A drain that fails leaves the node cordoned, and its error says so.
    /// </summary>
    public async Task<NodeDrainResult> RunAsync(string node, DrainOptions options, string? cordonMark, CancellationToken cancellationToken)
    {
        await PlanAsync(node, options, cancellationToken).ConfigureAwait(false);
        var (_, changed) = await maintenance.SetUnschedulableAsync(node, true, cordonMark, cancellationToken).ConfigureAwait(false);
        log.Verbose(changed ? $"Node {node} cordoned." : $"Node {node} is already cordoned.");
        var plan = await maintenance.PlanDrainAsync(node, options, cancellationToken).ConfigureAwait(false);
        ThrowIfBlocked(plan, "The node stays cordoned.");
        foreach (var warning in plan.Warnings())
        {
            log.Warning(warning);
        }

        var result = await maintenance.DrainAsync(plan, options, cancellationToken).ConfigureAwait(false);
        if (!result.Completed)
        {
            throw new ClusterException(
                ClusterErrorKind.OperationFailed,
                "DrainIncomplete",
                $"Node {node} cannot be drained. The node stays cordoned; check the PodDisruptionBudgets and pods named here, then run the command again to continue."
                    + Environment.NewLine + string.Join(Environment.NewLine, result.Failed.Select(f => $"{f.Namespace}/{f.Name}: {f.Reason}")),
                result);
        }

        log.Verbose($"Node {node} drained in {IsoDuration.Parse(result.Duration).TotalSeconds:0} s.");
        return result;
    }

    private static void ThrowIfBlocked(DrainPlan plan, string outcome)
    {
        if (plan.Block.Length > 0)
        {
            throw new ClusterException(
                ClusterErrorKind.OperationFailed,
                "DrainBlocked",
                $"Node {plan.Node} cannot be drained. {outcome} Add the switch named here, or move those pods first."
                    + Environment.NewLine + string.Join(Environment.NewLine, plan.Problems()),
                plan.Node);
        }
    }
}
