using System.Diagnostics;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Engine;
using ClusterManagement.NodeHosts.Packages;
using ClusterManagement.Nodes;

namespace ClusterManagement.NodeHosts.Rollout;

/// <summary>One node's part of a rollout, decided before anything changes.</summary>
/// <param name="LegacyListener">The node still has the TCP listener drop-in of earlier module versions, which the upgrade removes.</param>
public sealed record EngineUpgradeItem(ClusterNode Node, NodeEndpoint Endpoint, ResolvedEngine Target, string From, bool NeedsChange, bool LegacyListener)
{
    public string To => string.Join(", ", Target.Versions.Where(v => v.Key != "docker-ce-cli").Select(v => $"{v.Key} {v.Value}"));
}

/// <summary>
/// Rolling engine upgrades: every node is resolved first (a missing version fails the whole rollout
/// before any node changes), then batch by batch each node is cordoned and drained, upgraded, restarted,
/// verified through the Engine API and uncordoned. A failure stops the rollout before the next batch and
/// leaves the failed node cordoned.
/// </summary>
public sealed class EngineRollout(NodeConnector connector, IOperationLog log)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Reads the installed versions and resolves the target on one node; changes nothing but the package lists when <paramref name="refreshLists"/>.</summary>
    public async Task<EngineUpgradeItem> PrepareAsync(ClusterNode node, EngineTarget target, bool refreshLists, CancellationToken cancellationToken)
    {
        var endpoint = await connector.EndpointAsync(node, cancellationToken).ConfigureAwait(false);
        using var shell = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var family = OsRelease.Parse((await shell.RunAsync("cat /etc/os-release", StepTimeout, cancellationToken).ConfigureAwait(false)).Output).Family(node.Name);
        var packages = new NodePackages(shell, node.Name, family, log);
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
        var needsChange = resolved.Versions.Any(v => installed.GetValueOrDefault(v.Key) != v.Value) || UpgradeCordon.IsMarked(node) || legacyListener;
        return new EngineUpgradeItem(node, endpoint, resolved, from, needsChange, legacyListener);
    }

    /// <summary>
    /// Upgrades one node; <paramref name="cordonAndDrain"/> and <paramref name="uncordon"/> come from node
    /// maintenance. A node that someone else had cordoned is drained and upgraded but not uncordoned.
    /// </summary>
    public async Task<NodeDockerUpgrade> UpgradeAsync(
        EngineUpgradeItem item,
        int batch,
        bool drain,
        Func<string, bool, CancellationToken, Task> cordonAndDrain,
        Func<string, CancellationToken, Task> uncordon,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = item.Node.Name;
        if (!item.NeedsChange)
        {
            return Result(item, batch, false, clock, NodeDockerUpgradeStatus.Current);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var ct = deadline.Token;
        log.Verbose($"{name}: cordoning{(drain ? " and draining" : string.Empty)}.");
        await cordonAndDrain(name, drain, ct).ConfigureAwait(false);
        try
        {
            using var shell = await connector.ConnectAsync(item.Endpoint, ct).ConfigureAwait(false);
            var family = OsRelease.Parse((await shell.RunAsync("cat /etc/os-release", StepTimeout, ct).ConfigureAwait(false)).Output).Family(name);
            var installer = new EngineInstaller(shell, name, new NodePackages(shell, name, family, log), log);
            // The restart below starts the engine without the removed listener.
            await installer.RemoveLegacyListenerAsync(restartRunningEngine: false, StepTimeout, ct).ConfigureAwait(false);
            await installer.InstallAsync(item.Target, StepTimeout, ct).ConfigureAwait(false);
            await installer.RestartAsync(StepTimeout, ct).ConfigureAwait(false);
            await installer.VerifyAsync(item.Target, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException(ClusterErrorKind.Timeout, "EngineUpgradeTimeout", $"The engine upgrade of {name} did not finish within {timeout}; the node stays cordoned.", name);
        }
        catch (ClusterException e)
        {
            throw new ClusterException(e.Kind, e.ErrorId, $"{e.Message}\n{name} stays cordoned; fix the engine, then run Update-NodeDocker again (or Resume-ClusterNode).", name, e);
        }

        if (UpgradeCordon.Owns(item.Node))
        {
            log.Verbose($"{name}: engine verified; uncordoning.");
            await uncordon(name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            log.Verbose($"{name}: engine verified; it was cordoned before the upgrade and stays cordoned.");
        }
        return Result(item, batch, drain, clock, NodeDockerUpgradeStatus.Upgraded);
    }

    public static NodeDockerUpgrade Result(EngineUpgradeItem item, int batch, bool drained, Stopwatch clock, NodeDockerUpgradeStatus status, string? error = null) => new()
    {
        Node = item.Node.Name,
        Batch = batch,
        From = item.From,
        To = item.To,
        Drained = drained,
        Duration = clock.Elapsed,
        Status = status,
        Error = error,
    };
}
