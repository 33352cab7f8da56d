using System.Runtime.CompilerServices;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Engine.Rollout;
using ClusterManagement.NodeHosts;
using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>
/// A whole Kubernetes upgrade: planned before anything changes (a request that skips minors is refused with the upgrades to run,
/// blockers end it), approved node by node, then rolled out control planes first. With stepwise, each minor of the sequence is
/// planned afresh and rolled out in turn; a step that fails ends the run before the next.
/// </summary>
internal sealed class KubernetesUpgrade(ClusterConnection connection, NodeConnector connector, EngineUpgradeOptions options, IOperationLog log)
{
    private const string Activity = "Upgrading Kubernetes";

    private readonly KubernetesUpgradePlanner planner = new(connection, connector, log);

    /// <summary>Plans for every Node of the cluster, or those named; read-only.</summary>
    public async Task<KubernetesUpgradePlan> PlanAsync(IReadOnlyList<string> names, KubernetesVersion.VersionRequest request, bool refreshLists, int throttleLimit, CancellationToken cancellationToken)
    {
        var all = new List<ClusterNode>();
        await foreach (var node in new NodeService(connection).ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            all.Add(node);
        }

        var selected = names.Count == 0 ? all : all.Where(n => names.Contains(n.Name, StringComparer.Ordinal)).ToList();
        return await planner.PlanAsync(all, selected, request, options.Drain, refreshLists, throttleLimit, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="approve">Asked for every node with its batch's title and what its step does; a node not approved is left out.</param>
    /// <param name="openBatch">A scope around each batch (a pipeline log group), given its title.</param>
    public async IAsyncEnumerable<NodeKubernetesUpgrade> RunAsync(
        IReadOnlyList<string> names, KubernetesVersion.VersionRequest request, bool stepwise, int maxUnavailable, int throttleLimit,
        Func<KubernetesUpgradeItem, string, Task<bool>> approve, Func<string, IDisposable>? openBatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        log.Progress(new(1, Activity, "Planning: versions, package sources and holds on every node"));
        var plan = await PlanAsync(names, request, refreshLists: true, throttleLimit, cancellationToken).ConfigureAwait(false);
        if (plan.Unread.Count > 0)
        {
            // Nothing has changed yet: a node whose host cannot be read is not planned, so the run does not start.
            throw plan.Unread[0].Error;
        }

        if (plan.SkipsMinors && !stepwise)
        {
            throw UpgradeRules.SkipsMinors(plan.From, plan.Sequence);
        }

        var rollout = new KubernetesRollout(connection, connector, options, log);
        for (var s = 0; s < plan.Sequence.Count; s++)
        {
            var step = plan.Sequence[s];
            var stepPlan = plan.SkipsMinors
                ? await PlanAsync(names, new KubernetesVersion.VersionRequest(step.Major, step.Minor, step.Patch), refreshLists: false, throttleLimit, cancellationToken).ConfigureAwait(false)
                : plan;
            if (stepPlan.Unread.Count > 0)
            {
                throw stepPlan.Unread[0].Error;
            }

            if (stepPlan.BlockedError() is { } blocked)
            {
                throw blocked;
            }

            var batches = KubernetesRollout.Batches(stepPlan.Items, maxUnavailable);
            var approved = new List<IReadOnlyList<KubernetesUpgradeItem>>();
            var prefix = plan.SkipsMinors ? $"Upgrade {s + 1} of {plan.Sequence.Count} ({step}), b" : "B";
            for (var b = 0; b < batches.Count; b++)
            {
                var batch = new List<KubernetesUpgradeItem>();
                foreach (var item in batches[b])
                {
                    if (await approve(item, $"{prefix}atch {b + 1} of {batches.Count}: {item.Step}: {rollout.Describe(item)}").ConfigureAwait(false))
                    {
                        batch.Add(item);
                    }
                }

                approved.Add(batch);
            }

            if (approved.All(b => b.Count == 0))
            {
                if (s + 1 < plan.Sequence.Count)
                {
                    log.Verbose($"No node was approved for {step}; the upgrades after it ({string.Join(", ", plan.Sequence.Skip(s + 1))}) are planned once it is done, so they stop here.");
                }

                yield break;
            }

            var runner = new RolloutRunner<KubernetesUpgradeItem, NodeKubernetesUpgrade>(rollout, $"{Activity} to {step}", log, openBatch is null ? null : title => openBatch($"Upgrade Kubernetes to {step}, {title}"));
            await foreach (var result in runner.RunAsync(approved, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }
}
