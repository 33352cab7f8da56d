using System.Diagnostics;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>How a node is taken out of service for its upgrade: drained (kubectl drain's options), or only cordoned when Drain is null.</summary>
/// <param name="Timeout">Per node, for the whole cycle: the drain gets what is left of it after the cordon, the work on the host what the drain left.</param>
internal sealed record EngineUpgradeOptions(DrainOptions? Drain, TimeSpan Timeout);

/// <summary>What one kind of upgrade calls itself in the cycle's messages, and how its cordon and its timeout are told apart.</summary>
/// <param name="Name">"engine upgrade": "The engine upgrade of worker-1 did not finish ...".</param>
/// <param name="Stopping">"upgrading the engine": "Stopped upgrading the engine of worker-1 while ...".</param>
/// <param name="Verified">"engine verified": the verbose line once the work in the window succeeded.</param>
/// <param name="RerunAdvice">How to finish a node left cordoned.</param>
internal sealed record UpgradeKind(string Name, string Stopping, string Verified, string CordonMark, string RerunAdvice, ClusterError TimeoutError);

/// <summary>
/// The work on the host while the node is out of service; <c>doing</c> names each step, so that a Ctrl+C
/// warning says where the node was left.
/// </summary>
internal delegate Task WindowWork(Action<string> doing, CancellationToken cancellationToken);

/// <summary>
/// One node's upgrade cycle, the same for every kind of upgrade: connect and fetch what the install needs while
/// the node still serves (a failure there leaves it untouched, and its error says so), cordon and drain, the
/// work in the window, uncordon. A failure after the cordon leaves the node cordoned, with the cordon mark of the
/// upgrade kind, so that a re-run finishes it; its error says so. Everything runs within the node's budget.
/// </summary>
internal sealed class NodeUpgradeCycle(ClusterConnection connection, NodeConnector connector, EngineUpgradeOptions options, UpgradeKind kind, IOperationLog log)
{
    private readonly NodeMaintenance maintenance = new(connection, log);

    public EngineUpgradeOptions Options => options;

    /// <summary>
    /// Runs the cycle: <paramref name="prepare"/> gets a shell, the lock wait left for the package manager and the node's
    /// deadline, fetches what it needs and returns the work for the window. Returns how long the node was out of
    /// service, or null when someone else's cordon keeps it cordoned.
    /// </summary>
    public async Task<TimeSpan?> RunAsync(NodeEndpoint endpoint, Func<NodeShell, TimeSpan, CancellationToken, Task<WindowWork>> prepare, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var name = endpoint.NodeName;
        NodeShell shell;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Remaining(clock, name, cordoned: false));
        var ct = deadline.Token;
        try
        {
            shell = await connector.ConnectAsync(endpoint, ct).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            throw Untouched(name, e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(name, cordoned: false);
        }

        using (shell)
        {
            WindowWork work;
            try
            {
                // A busy package lock is waited for within the node's budget, leaving time to report its holder
                // instead of ending as a bare timeout.
                var lockWait = TimeSpan.FromTicks(Math.Min(Packages.NodePackages.DefaultLockWait.Ticks, (Remaining(clock, name, cordoned: false) / 3).Ticks));
                work = await prepare(shell, lockWait, ct).ConfigureAwait(false);
            }
            catch (ClusterException e)
            {
                throw Untouched(name, e);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(name, cordoned: false);
            }

            var unavailable = Stopwatch.StartNew();
            await TakeOutOfServiceAsync(name, clock, cancellationToken).ConfigureAwait(false);
            await InWindowAsync(name, work, ct, cancellationToken).ConfigureAwait(false);

            // Only the holder of the mark uncordons, decided now on a fresh read: see SetUnschedulableAsync.
            bool uncordoned;
            try
            {
                (_, uncordoned) = await maintenance.SetUnschedulableAsync(name, false, kind.CordonMark, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e)
            {
                throw new ClusterException(e.Error,
                    $"{e.Message}\n{name}: the {kind.Name} was done and verified, but the node could not be uncordoned and stays cordoned: {kind.RerunAdvice}", name, e);
            }

            log.Verbose(uncordoned ? $"{name}: {kind.Verified}; uncordoned after {unavailable.Elapsed}." : $"{name}: {kind.Verified}; it is cordoned by someone else and stays cordoned.");
            return uncordoned ? unavailable.Elapsed : null;
        }
    }

    /// <summary>
    /// Cordons, and drains unless told not to. The drain has its own timeout, taken from the node's budget: it
    /// ends with the pods, budgets and "stays cordoned" in its error, where a cancelled token would only say "canceled".
    /// </summary>
    internal async Task TakeOutOfServiceAsync(string name, Stopwatch clock, CancellationToken cancellationToken)
    {
        var left = Remaining(clock, name, cordoned: false);
        try
        {
            if (options.Drain is { } drain)
            {
                log.Verbose($"{name}: cordoning and draining.");
                await new NodeDrain(maintenance, log).RunAsync(name, drain with { Timeout = left }, kind.CordonMark, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                log.Verbose($"{name}: cordoning.");
                await maintenance.SetUnschedulableAsync(name, true, kind.CordonMark, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.Timeout or ClusterErrorKind.ServerError)
        {
            // A request the server may have applied before its answer was lost: the node may be cordoned.
            throw new ClusterException(e.Error,
                $"{e.Message}\n{name}: nothing was changed on the host; the API server failed while taking the node out of service, so it may be left cordoned: {kind.RerunAdvice}", name, e);
        }
    }

    /// <summary>The work on the cordoned node: every failure says it stays cordoned.</summary>
    private async Task InWindowAsync(string name, WindowWork work, CancellationToken ct, CancellationToken cancellationToken)
    {
        var doing = "starting";
        try
        {
            await work(step => doing = step, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(name, cordoned: true);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the rollout ends without a result for this node, so the warning is all that tells where it was left.
            log.Warning($"Stopped {kind.Stopping} of {name} while {doing}: {name} stays cordoned. To finish, {kind.RerunAdvice}");
            throw;
        }
        catch (ClusterException e)
        {
            throw new ClusterException(e.Error, $"{e.Message}\n{name} stays cordoned; fix the cause, then {kind.RerunAdvice}", name, e);
        }
    }

    /// <summary>A failure before the cordon: the node still serves, and nothing on it changed but its package cache.</summary>
    private static ClusterException Untouched(string name, ClusterException e) =>
        new(e.Error, $"{e.Message}\n{name} was not cordoned and nothing was installed on it.", name, e);

    private TimeSpan Remaining(Stopwatch clock, string name, bool cordoned) =>
        options.Timeout - clock.Elapsed is { } left && left > TimeSpan.Zero ? left : throw TimedOut(name, cordoned);

    private ClusterException TimedOut(string name, bool cordoned) =>
        new(kind.TimeoutError, $"The {kind.Name} of {name} did not finish within {options.Timeout}; " + (cordoned ? "the node stays cordoned." : "the node was not cordoned and nothing was installed on it."), name);
}
