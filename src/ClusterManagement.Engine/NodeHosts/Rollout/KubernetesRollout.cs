using System.Diagnostics;
using ClusterManagement.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Engine.Rollout;
using ClusterManagement.NodeHosts;
using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>
/// Rolling Kubernetes upgrades, one node's part of a <see cref="RolloutRunner{TItem, TResult}"/>, in the <see cref="NodeUpgradeCycle"/> every
/// node upgrade shares: the packages are downloaded while the node serves; then, cordoned and drained, kubeadm is installed at the target
/// and runs its step (upgrade apply on the first control plane, upgrade node on the others), kubelet and kubectl are installed at the target,
/// pinned and held, the kubelet restarts, and the node is uncordoned once its Node reports the target version and Ready. A failure leaves the
/// node cordoned, with kubeadm's output or the kubelet's journal in the error.
/// </summary>
internal sealed class KubernetesRollout(ClusterConnection connection, NodeConnector connector, EngineUpgradeOptions options, IOperationLog log)
    : IRolloutWork<KubernetesUpgradeItem, NodeKubernetesUpgrade>
{
    /// <summary>The cordon a Kubernetes upgrade puts on a node: a re-run finishes such a node and uncordons it; someone else's cordon stays.</summary>
    public const string CordonMark = NodeAnnotations.Prefix + "kubernetes-upgrade-cordoned";

    private const string RerunAdvice = "run Update-ClusterNode -KubernetesVersion again (it finishes the node) or Resume-ClusterNode.";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How long a restarted kubelet gets to report the target version and Ready.</summary>
    private static readonly TimeSpan KubeletWait = TimeSpan.FromMinutes(2);

    /// <summary>How often the kubelet's unit is looked at while the Node is awaited: a kubelet that exits at once is in systemd's restart loop.</summary>
    private static readonly TimeSpan CrashCheckInterval = TimeSpan.FromSeconds(3);

    private readonly NodeUpgradeCycle cycle = new(connection, connector, options,
        new UpgradeKind("Kubernetes upgrade", "upgrading Kubernetes", "kubelet verified", CordonMark, RerunAdvice, ClusterErrors.KubernetesUpgradeTimeout), log);

    /// <summary>Each control plane in a batch of its own, first; then the workers, <paramref name="maxUnavailable"/> at a time.</summary>
    public static IReadOnlyList<IReadOnlyList<KubernetesUpgradeItem>> Batches(IReadOnlyList<KubernetesUpgradeItem> items, int maxUnavailable)
    {
        var controlPlanes = items.Where(IsControlPlane).Select(i => (IReadOnlyList<KubernetesUpgradeItem>)[i]);
        return [.. controlPlanes, .. RolloutBatches.Plan(items.Where(i => !IsControlPlane(i)).ToList(), maxUnavailable)];
    }

    private static bool IsControlPlane(KubernetesUpgradeItem item) => item.Node.Roles.Contains(KubeadmCluster.ControlPlaneRole, StringComparer.Ordinal);

    public string NameOf(KubernetesUpgradeItem item) => item.Node.Name;

    /// <summary>What a node's step does, for -WhatIf, -Confirm and progress.</summary>
    public string Describe(KubernetesUpgradeItem item) => item.Step switch
    {
        NodeUpgradeStep.None => $"already at {item.Target}",
        _ => $"{(options.Drain is null ? "cordon" : "cordon, drain")}, install kubeadm {item.Packages["kubeadm"]}, {KubeadmCommand(item)}, install {string.Join(", ", item.Packages.Where(p => p.Key != "kubeadm").Select(p => $"{p.Key} {p.Value}"))} (held), restart the kubelet, wait for {item.Target} and Ready, uncordon",
    };

    private static string KubeadmCommand(KubernetesUpgradeItem item) =>
        item.Step == NodeUpgradeStep.ControlPlaneApply ? $"kubeadm upgrade apply {item.Target} --yes" : "kubeadm upgrade node";

    public async Task<NodeKubernetesUpgrade> RunAsync(KubernetesUpgradeItem item, int batch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (item.Step == NodeUpgradeStep.None)
        {
            return Result(item, batch, false, clock.Elapsed, NodeKubernetesUpgradeStatus.Current);
        }

        var name = item.Node.Name;
        var unavailableFor = await cycle.RunAsync(item.Endpoint, async (shell, lockWait, ct) =>
        {
            var packages = await NodePackages.OnHostAsync(shell, name, log, StepTimeout, ct, lockWait).ConfigureAwait(false);
            await packages.DownloadPinnedAsync(item.Packages, StepTimeout, ct).ConfigureAwait(false);
            return async (doing, token) =>
            {
                var kubeadm = item.Packages.Where(p => p.Key == "kubeadm").ToDictionary(p => p.Key, p => p.Value);
                var rest = item.Packages.Where(p => p.Key != "kubeadm").ToDictionary(p => p.Key, p => p.Value);
                doing($"installing kubeadm {kubeadm["kubeadm"]}, which may be half-done");
                await packages.InstallPinnedAsync(kubeadm, kubeadm.Keys, StepTimeout, token).ConfigureAwait(false);
                doing($"running {KubeadmCommand(item)}");
                await KubeadmAsync(shell, item, token).ConfigureAwait(false);
                doing($"installing {string.Join(", ", rest.Select(p => $"{p.Key} {p.Value}"))}, which may be half-done");
                await packages.InstallPinnedAsync(rest, rest.Keys, StepTimeout, token).ConfigureAwait(false);
                doing("restarting the kubelet");
                await shell.SudoCheckedAsync("systemctl daemon-reload && systemctl restart kubelet", StepTimeout, "Restarting the kubelet", token).ConfigureAwait(false);
                doing($"waiting for the kubelet to report {item.Target} and Ready");
                await VerifyKubeletAsync(shell, item, token).ConfigureAwait(false);
            };
        }, cancellationToken).ConfigureAwait(false);
        return Result(item, batch, options.Drain is not null, clock.Elapsed, NodeKubernetesUpgradeStatus.Upgraded, unavailableFor: unavailableFor);
    }

    private async Task KubeadmAsync(NodeShell shell, KubernetesUpgradeItem item, CancellationToken cancellationToken)
    {
        // The target matched KubernetesVersion's digits-only pattern; quoted all the same.
        var command = item.Step == NodeUpgradeStep.ControlPlaneApply ? $"kubeadm upgrade apply {NodeShell.Quote(item.Target.ToString())} --yes" : "kubeadm upgrade node";
        log.Verbose($"{item.Node.Name}: {command}");
        var result = await shell.SudoAsync(command + " 2>&1", StepTimeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterException(ClusterErrors.KubeadmUpgradeFailed, $"'{KubeadmCommand(item)}' failed on {item.Node.Name} (exit code {result.ExitCode}):\n{NodeShell.Tail(result.Output)}", item.Node.Name);
        }

        if (item.Step == NodeUpgradeStep.ControlPlaneApply)
        {
            var apiServer = await new KubernetesUpgradePlanner(connection, connector, log).ApiServerVersionAsync(cancellationToken).ConfigureAwait(false);
            if (apiServer != item.Target)
            {
                throw new ClusterException(ClusterErrors.KubeadmUpgradeFailed,
                    $"'{KubeadmCommand(item)}' succeeded on {item.Node.Name}, but the API server still reports {apiServer}:\n{NodeShell.Tail(result.Output, 5)}", item.Node.Name);
            }
        }
    }

    /// <summary>
    /// Waits for the Node to report the target kubelet version and Ready. A kubelet that exits as it starts (a flag or a configuration it
    /// refuses) sits in systemd's restart loop: that ends the wait at once, with the kubelet's journal, instead of at the wait's end.
    /// </summary>
    private async Task VerifyKubeletAsync(NodeShell shell, KubernetesUpgradeItem item, CancellationToken cancellationToken)
    {
        var name = item.Node.Name;
        var target = item.Target.ToString();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiting = NodeReadinessWait.UntilNodeAsync(connection, name, n => n?.Version == target && n.Readiness == NodeReadiness.Ready, KubeletWait, log, stop.Token);
        var crashing = CrashLoopAsync(shell, stop.Token);
        var first = await Task.WhenAny(waiting, crashing).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        string why;
        try
        {
            if (first == waiting)
            {
                await waiting.ConfigureAwait(false);
                return;
            }

            why = $"it exits as it starts (systemd: {await crashing.ConfigureAwait(false)})";
        }
        catch (ClusterException e) when (e.Error == ClusterErrors.NodeReadinessTimeout)
        {
            why = e.Message;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var journal = await shell.SudoAsync("journalctl -u kubelet -n 20 --no-pager 2>&1", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        throw new ClusterException(ClusterErrors.KubeletStartFailed,
            $"The kubelet on {name} did not come back at {target} after its upgrade: {why}. Its journal (journalctl -u kubelet -n 20):\n{journal.Output.TrimEnd()}", name);
    }

    /// <summary>Ends when the kubelet's unit is in systemd's restart loop or failed, with its state; never otherwise.</summary>
    private static async Task<string> CrashLoopAsync(NodeShell shell, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(CrashCheckInterval, cancellationToken).ConfigureAwait(false);
            var state = (await shell.RunAsync("systemctl show kubelet -p ActiveState -p SubState --value", TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (state.Contains("auto-restart") || state.Contains("failed"))
            {
                return string.Join(" ", state);
            }
        }
    }

    public NodeKubernetesUpgrade Failed(KubernetesUpgradeItem item, int batch, TimeSpan elapsed, ClusterException error) =>
        Result(item, batch, false, elapsed, NodeKubernetesUpgradeStatus.Failed, error.Message);

    public NodeKubernetesUpgrade NotStarted(KubernetesUpgradeItem item, int batch) =>
        Result(item, batch, false, TimeSpan.Zero, NodeKubernetesUpgradeStatus.NotStarted);

    private static NodeKubernetesUpgrade Result(KubernetesUpgradeItem item, int batch, bool drained, TimeSpan duration, NodeKubernetesUpgradeStatus status, string? error = null, TimeSpan? unavailableFor = null) => new()
    {
        Node = item.Node.Name,
        Batch = batch,
        Step = item.Step,
        From = item.Node.Version,
        To = item.Target.ToString(),
        Drained = drained,
        Duration = IsoDuration.Format(duration),
        UnavailableFor = unavailableFor is { } window ? IsoDuration.Format(window) : null,
        Status = status,
        Error = error,
    };
}
