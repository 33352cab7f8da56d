using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// The one drain sequence of the module (Suspend-ClusterNode -Drain, Remove-ClusterNode, Update-NodeDocker):
/// plan, cordon, plan again, evict, verdict. Each outcome has one error: <c>DrainBlocked</c> when kubectl's
/// filters refuse a pod, <c>DrainIncomplete</c> when pods are still on the node at the end (its target is the
/// <see cref="NodeDrainResult"/>), <c>DrainInterrupted</c> when a request fails for good once the node may be
/// cordoned (the cause's kind, the node as target), so no failure leaves a cordoned node unmentioned. The first
/// two are OperationFailed: an incomplete drain is not always a timeout (an eviction the server keeps failing
/// ends it early), and the error id already says which it was.
/// </summary>
internal sealed class NodeDrain(NodeMaintenance maintenance, IOperationLog log)
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
        try
        {
            var (_, changed) = await maintenance.SetUnschedulableAsync(node, true, cordonMark, cancellationToken).ConfigureAwait(false);
            log.Verbose(changed ? $"Node {node} cordoned." : $"Node {node} is already cordoned.");
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.Timeout)
        {
            // The server may have applied the cordon and lost only the answer.
            throw Interrupted(node, e, $"Node {node} may be cordoned: the API server did not confirm the cordon. {e.Message} No pod was evicted; check the node with Get-ClusterNode, then run the command again.");
        }

        NodeDrainResult result;
        try
        {
            var plan = await maintenance.PlanDrainAsync(node, options, cancellationToken).ConfigureAwait(false);
            ThrowIfBlocked(plan, "The node stays cordoned.");
            foreach (var warning in plan.Warnings())
            {
                log.Warning(warning);
            }

            result = await maintenance.DrainAsync(plan, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.Warning($"Stopped draining node {node}: it stays cordoned, with the pods not yet evicted still on it. Run the drain again to finish it, or Resume-ClusterNode {node} to undo the cordon.");
            throw;
        }
        catch (ClusterException e) when (e.Error != ClusterErrors.DrainBlocked)
        {
            throw Interrupted(node, e, $"Node {node} was cordoned, but its drain was interrupted: {e.Message} The node stays cordoned; run the command again to continue.");
        }

        if (!result.Completed)
        {
            var gone = result.Evicted.Count > 0 ? $"Gone from the node: {string.Join(", ", result.Evicted)}." : "No pod has left the node yet.";
            var incomplete = new ClusterException(
                ClusterErrors.DrainIncomplete,
                $"Node {node} cannot be drained. The node stays cordoned; check the PodDisruptionBudgets and pods named here, then run the command again to continue. {gone} Still on the node:"
                    + Environment.NewLine + string.Join(Environment.NewLine, result.Failed.Select(f => $"{f.Namespace}/{f.Name}: {f.Reason}")),
                result);
            throw Diagnoses.Attach(incomplete, await maintenance.Diagnoser.DrainAsync(result, cancellationToken).ConfigureAwait(false));
        }

        log.Verbose($"Node {node} drained in {IsoDuration.Parse(result.Duration).TotalSeconds:0} s.");
        return result;
    }

    /// <summary>
    /// A failure once the node may be cordoned: the message says what became of the node, whatever went wrong.
    /// A lost server is DrainInterrupted (one id, one kind: ConnectionError); any other cause keeps its own error.
    /// </summary>
    private static ClusterException Interrupted(string node, ClusterException cause, string message) =>
        new(cause.Kind == ClusterErrorKind.Unreachable ? ClusterErrors.DrainInterrupted : cause.Error, message, node, cause)
        {
            StatusCode = cause.StatusCode,
            ServerMessage = cause.ServerMessage,
        };

    private static void ThrowIfBlocked(DrainPlan plan, string outcome)
    {
        if (plan.Block.Length > 0)
        {
            throw new ClusterException(ClusterErrors.DrainBlocked, $"Node {plan.Node} cannot be drained. {outcome} Add the switch named here, or move those pods first."
                    + Environment.NewLine + string.Join(Environment.NewLine, plan.Problems()),
                plan.Node);
        }
    }
}
