using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Engine.Rollout;
using ClusterManagement.NodeHosts;
using System.Diagnostics;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>One node's part of a rollout, decided before anything changes.</summary>
/// <param name="LegacyListener">The node still has the TCP listener drop-in of earlier module versions, which the upgrade removes.</param>
internal sealed record EngineUpgradeItem(ClusterNode Node, NodeEndpoint Endpoint, ResolvedEngine Target, string From, bool NeedsChange, bool LegacyListener)
{
    public string To => string.Join(", ", Target.Versions.Where(v => v.Key != "docker-ce-cli").Select(v => $"{v.Key} {v.Value}"));
}

/// <summary>The rollout as prepared: the nodes it takes through the cycle, and those SSH could not reach, each with its Failed result.</summary>
internal sealed record EngineRolloutPlan(IReadOnlyList<EngineUpgradeItem> Items, IReadOnlyList<NodeDockerUpgrade> Unreachable)
{
    /// <summary>The error a rollout that left nodes out ends with once every other node is done; null when it left none out.</summary>
    public ClusterException? UnreachableError() => Unreachable.Count == 0 ? null : new ClusterException(
        ClusterErrors.NodeUnreachable,
        $"The rollout left out {Unreachable.Count} node(s) it could not reach over SSH and changed nothing on them: " + string.Join("; ", Unreachable.Select(u => u.Error)),
        string.Join(", ", Unreachable.Select(u => u.Node)));
}

/// <summary>
/// Rolling engine upgrades, one node's part of a <see cref="RolloutRunner{TItem, TResult}"/>: every node is
/// resolved first (a missing version fails the whole rollout before any node changes), then each node
/// downloads its packages while it still serves, is cordoned and drained, upgraded, restarted, verified
/// through the Engine API and uncordoned. A node that fails after its cordon stays cordoned and its error
/// says so; one that fails before it (the download) is left untouched and its error says that.
/// </summary>
internal sealed class EngineRollout(ClusterConnection connection, NodeConnector connector, EngineUpgradeOptions options, IOperationLog log)
    : IRolloutWork<EngineUpgradeItem, NodeDockerUpgrade>
{
    /// <summary>
    /// The cordon an engine upgrade puts on a node, told apart from anyone else's: a re-run after a failure
    /// finishes such a node and uncordons it, while a node that was already cordoned for another reason is
    /// upgraded and stays cordoned.
    /// </summary>
    public const string CordonMark = NodeAnnotations.Prefix + "engine-upgrade-cordoned";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    private const string RerunAdvice = "run Update-NodeDocker again (it finishes the node) or Resume-ClusterNode.";

    private readonly NodeUpgradeCycle cycle = new(connection, connector, options, new UpgradeKind("engine upgrade", "upgrading the engine", "engine verified", CordonMark, RerunAdvice, ClusterErrors.EngineUpgradeTimeout), log);

    internal NodeUpgradeCycle Cycle => cycle;

    /// <summary>Reads the installed versions and resolves the target on one node; changes nothing but the package lists when <paramref name="refreshLists"/>.</summary>
    public async Task<EngineUpgradeItem> PrepareAsync(ClusterNode node, EngineTarget target, bool refreshLists, CancellationToken cancellationToken)
    {
        var endpoint = await connector.EndpointAsync(node, cancellationToken).ConfigureAwait(false);
        using var shell = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var packages = await NodePackages.OnHostAsync(shell, node.Name, log, StepTimeout, cancellationToken).ConfigureAwait(false);
        if (refreshLists)
        {
            await packages.RefreshAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        }

        var installer = new EngineInstaller(shell, node.Name, packages, log);
        var resolved = await installer.ResolveAsync(target, StepTimeout, cancellationToken).ConfigureAwait(false);
        var installed = await packages.InstalledAsync(resolved.Versions.Keys, StepTimeout, cancellationToken).ConfigureAwait(false);
        var from = string.Join(", ", resolved.Versions.Keys.Where(k => k != "docker-ce-cli").Select(k => $"{k} {installed.GetValueOrDefault(k, "(none)")}"));
        // A node a failed run left cordoned goes through the cycle again even when its packages are
        // already at the target: its engine still has to be restarted, verified and the node uncordoned.
        // So does one with the old TCP listener: only a restart, which needs the drain, closes it.
        var legacyListener = await installer.HasLegacyListenerAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        var needsChange = resolved.Versions.Any(v => installed.GetValueOrDefault(v.Key) != v.Value) || node.Annotations.ContainsKey(CordonMark) || legacyListener;
        return new EngineUpgradeItem(node, endpoint, resolved, from, needsChange, legacyListener);
    }

    /// <summary>
    /// Prepares every node before the first one changes: a version one node lacks stops the rollout here.
    /// A node SSH cannot reach has not been touched, so it does not hold up the others: it is left out with
    /// a Failed result naming the reason, and <see cref="EngineRolloutPlan.UnreachableError"/> ends the run.
    /// </summary>
    public async Task<EngineRolloutPlan> PrepareAllAsync(IReadOnlyList<ClusterNode> nodes, EngineTarget target, int throttleLimit, CancellationToken cancellationToken)
    {
        var items = new EngineUpgradeItem?[nodes.Count];
        var unreachable = new NodeDockerUpgrade?[nodes.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, nodes.Count),
            new ParallelOptions { MaxDegreeOfParallelism = throttleLimit, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                try
                {
                    items[i] = await PrepareAsync(nodes[i], target, refreshLists: true, token).ConfigureAwait(false);
                }
                catch (ClusterException e) when (e.Error == ClusterErrors.NodeUnreachable)
                {
                    unreachable[i] = new NodeDockerUpgrade
                    {
                        Node = nodes[i].Name,
                        Batch = 0,
                        To = target.ToString(),
                        Drained = false,
                        Duration = IsoDuration.Format(TimeSpan.Zero),
                        Status = NodeDockerUpgradeStatus.Failed,
                        Error = $"{nodes[i].Name}: {e.Message} Nothing was changed on it.",
                    };
                }
            }).ConfigureAwait(false);
        return new EngineRolloutPlan(items.OfType<EngineUpgradeItem>().ToList(), unreachable.OfType<NodeDockerUpgrade>().ToList());
    }

    public string NameOf(EngineUpgradeItem item) => item.Node.Name;

    public async Task<NodeDockerUpgrade> RunAsync(EngineUpgradeItem item, int batch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = item.Node.Name;
        if (!item.NeedsChange)
        {
            return Result(item, batch, false, clock.Elapsed, NodeDockerUpgradeStatus.Current);
        }

        // The packages are fetched while the node still serves, so its unavailable window holds only the
        // install, the restart and the verification.
        var unavailableFor = await cycle.RunAsync(item.Endpoint, async (shell, lockWait, ct) =>
        {
            var packages = await NodePackages.OnHostAsync(shell, name, log, StepTimeout, ct, lockWait).ConfigureAwait(false);
            var installer = new EngineInstaller(shell, name, packages, log);
            await packages.DownloadPinnedAsync(item.Target.Versions, StepTimeout, ct).ConfigureAwait(false);

            return async (doing, token) =>
            {
                doing("removing the old TCP listener");
                // The restart below starts the engine without the removed listener.
                await installer.RemoveLegacyListenerAsync(restartRunningEngine: false, StepTimeout, token).ConfigureAwait(false);
                doing($"installing {item.To}, which may be half-done");
                await installer.InstallAsync(item.Target, StepTimeout, token).ConfigureAwait(false);
                doing($"restarting the engine after installing {item.To}");
                await installer.RestartAsync(StepTimeout, token).ConfigureAwait(false);
                doing($"verifying the engine after installing {item.To}");
                await installer.VerifyAsync(item.Target, TimeSpan.FromSeconds(30), token).ConfigureAwait(false);
            };
        }, cancellationToken).ConfigureAwait(false);
        return Result(item, batch, options.Drain is not null, clock.Elapsed, NodeDockerUpgradeStatus.Upgraded, unavailableFor: unavailableFor);
    }

    public NodeDockerUpgrade Failed(EngineUpgradeItem item, int batch, TimeSpan elapsed, ClusterException error) =>
        Result(item, batch, false, elapsed, NodeDockerUpgradeStatus.Failed, error.Message);

    public NodeDockerUpgrade NotStarted(EngineUpgradeItem item, int batch) =>
        Result(item, batch, false, TimeSpan.Zero, NodeDockerUpgradeStatus.NotStarted);

    private static NodeDockerUpgrade Result(EngineUpgradeItem item, int batch, bool drained, TimeSpan duration, NodeDockerUpgradeStatus status, string? error = null, TimeSpan? unavailableFor = null) => new()
    {
        Node = item.Node.Name,
        Batch = batch,
        From = item.From,
        To = item.To,
        Drained = drained,
        Duration = IsoDuration.Format(duration),
        UnavailableFor = unavailableFor is { } window ? IsoDuration.Format(window) : null,
        Status = status,
        Error = error,
    };
}
