using ClusterManagement.Common;
using System.Diagnostics;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Engine;
using ClusterManagement.NodeHosts.Packages;
using ClusterManagement.Kubernetes;
using ClusterManagement.Nodes;
using ClusterManagement.Rollout;

namespace ClusterManagement.NodeHosts.Rollout;

/// <summary>One node's part of a rollout, decided before anything changes.</summary>
/// <param name="LegacyListener">The node still has the TCP listener drop-in of earlier module versions, which the upgrade removes.</param>
public sealed record EngineUpgradeItem(ClusterNode Node, NodeEndpoint Endpoint, ResolvedEngine Target, string From, bool NeedsChange, bool LegacyListener)
{
    public string To => string.Join(", ", Target.Versions.Where(v => v.Key != "docker-ce-cli").Select(v => $"{v.Key} {v.Value}"));
}

/// <summary>How a node is taken out of service for its upgrade: drained (kubectl drain's options), or only cordoned when Drain is null.</summary>
/// <param name="Timeout">Per node, for the whole cycle: the drain gets what is left of it after the cordon, the engine work what the drain left.</param>
public sealed record EngineUpgradeOptions(DrainOptions? Drain, TimeSpan Timeout);

/// <summary>
/// Rolling engine upgrades, one node's part of a <see cref="RolloutRunner{TItem, TResult}"/>: every node is
/// resolved first (a missing version fails the whole rollout before any node changes), then each node is
/// cordoned and drained, upgraded, restarted, verified through the Engine API and uncordoned. A node that
/// fails stays cordoned and its error says so.
/// </summary>
public sealed class EngineRollout(ClusterConnection connection, NodeConnector connector, EngineUpgradeOptions options, IOperationLog log)
    : IRolloutWork<EngineUpgradeItem, NodeDockerUpgrade>
{
    /// <summary>
    /// The cordon an engine upgrade puts on a node, told apart from anyone else's: a re-run after a failure
    /// finishes such a node and uncordons it, while a node that was already cordoned for another reason is
    /// upgraded and stays cordoned.
    /// </summary>
    public const string CordonMark = NodeAnnotations.Prefix + "engine-upgrade-cordoned";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    private readonly NodeMaintenance maintenance = new(connection, log);
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
        var needsChange = resolved.Versions.Any(v => installed.GetValueOrDefault(v.Key) != v.Value) || node.Annotations.ContainsKey(CordonMark) || legacyListener;
        return new EngineUpgradeItem(node, endpoint, resolved, from, needsChange, legacyListener);
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

        // The drain has its own timeout, taken from the node's budget: it ends with the pods, budgets and
        // "stays cordoned" in its error, where a cancelled token would only say "canceled".
        if (options.Drain is { } drain)
        {
            log.Verbose($"{name}: cordoning and draining.");
            await new NodeDrain(maintenance, log).RunAsync(name, drain with { Timeout = Remaining(clock, name) }, CordonMark, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            log.Verbose($"{name}: cordoning.");
            await maintenance.SetUnschedulableAsync(name, true, CordonMark, cancellationToken).ConfigureAwait(false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Remaining(clock, name));
        var ct = deadline.Token;
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
            throw TimedOut(name);
        }
        catch (ClusterException e)
        {
            throw new ClusterException(e.Kind, e.ErrorId, $"{e.Message}\n{name} stays cordoned; fix the engine, then run Update-NodeDocker again (or Resume-ClusterNode).", name, e);
        }

        // Only the holder of the mark uncordons, decided now on a fresh read: see SetUnschedulableAsync.
        var (_, uncordoned) = await maintenance.SetUnschedulableAsync(name, false, CordonMark, cancellationToken).ConfigureAwait(false);
        log.Verbose(uncordoned ? $"{name}: engine verified; uncordoned." : $"{name}: engine verified; it is cordoned by someone else and stays cordoned.");
        return Result(item, batch, options.Drain is not null, clock.Elapsed, NodeDockerUpgradeStatus.Upgraded);
    }

    public NodeDockerUpgrade Failed(EngineUpgradeItem item, int batch, TimeSpan elapsed, ClusterException error) =>
        Result(item, batch, false, elapsed, NodeDockerUpgradeStatus.Failed, error.Message);

    public NodeDockerUpgrade NotStarted(EngineUpgradeItem item, int batch) =>
        Result(item, batch, false, TimeSpan.Zero, NodeDockerUpgradeStatus.NotStarted);

    private TimeSpan Remaining(Stopwatch clock, string name) =>
        options.Timeout - clock.Elapsed is { } left && left > TimeSpan.Zero ? left : throw TimedOut(name);

    private ClusterException TimedOut(string name) =>
        new(ClusterErrorKind.Timeout, "EngineUpgradeTimeout", $"The engine upgrade of {name} did not finish within {options.Timeout}; the node stays cordoned.", name);

    private static NodeDockerUpgrade Result(EngineUpgradeItem item, int batch, bool drained, TimeSpan duration, NodeDockerUpgradeStatus status, string? error = null) => new()
    {
        Node = item.Node.Name,
        Batch = batch,
        From = item.From,
        To = item.To,
        Drained = drained,
        Duration = IsoDuration.Format(duration),
        Status = status,
        Error = error,
    };
}
