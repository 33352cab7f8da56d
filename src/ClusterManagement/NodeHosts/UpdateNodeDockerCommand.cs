using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Engine.Rollout;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsData.Update, "NodeDocker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Update-NodeDocker.md")]
[OutputType(typeof(NodeDockerUpgrade))]
public sealed class UpdateNodeDockerCommand : RollingUpgradeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Version { get; set; } = string.Empty;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ContainerdVersion { get; set; }

    [Parameter]
    public EngineSource EngineSource { get; set; } = EngineSource.Distribution;

    protected override void ProcessRecord() => AddNodes(() => Node);

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void EndProcessing()
    {
        CheckedUpFront(() =>
        {
            PackageVersions.RequireVersionRequest(Version, nameof(Version));
            if (ContainerdVersion is not null)
            {
                PackageVersions.RequireVersionRequest(ContainerdVersion, nameof(ContainerdVersion));
            }

            return Version;
        });
        RunOnRequestedContexts(UpgradeEnginesAsync);
    }

    /// <summary>One cluster's rollout: with several contexts each runs its own, and a failed one is that cluster's failure.</summary>
    private async Task UpgradeEnginesAsync(ClusterConnection connection, PipelineWriter writer, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var rollout = new EngineRollout(connection, Connector(connection, writer), UpgradeOptions(), writer);
        var target = new EngineTarget(EngineSource, Version, ContainerdVersion);

        writer.Progress(new(1, "Updating node engines", "Resolving versions on every node"));
        var plan = await rollout.PrepareAllAsync(nodes, target, ThrottleLimit, ct).ConfigureAwait(false);
        foreach (var left in plan.Unreachable)
        {
            writer.Object(left);
        }

        var batches = RolloutBatches.Plan(plan.Items, MaxUnavailable);
        var approved = new List<IReadOnlyList<EngineUpgradeItem>>();
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = new List<EngineUpgradeItem>();
            foreach (var item in batches[b])
            {
                var change = (item.NeedsChange ? $"{item.From} -> {item.To}" : $"already at {item.To}")
                    + (item.LegacyListener ? $"; remove the TCP listener {EngineInstaller.LegacyListenerDropIn}" : string.Empty);
                if (await writer.ShouldProcessAsync(item.Node.Name, $"Batch {b + 1} of {batches.Count}: {(SkipDrain ? "cordon" : "cordon, drain")}, upgrade the engine ({change}), restart, verify, uncordon").ConfigureAwait(false))
                {
                    batch.Add(item);
                }
            }

            approved.Add(batch);
        }

        var runner = new RolloutRunner<EngineUpgradeItem, NodeDockerUpgrade>(rollout, "Updating node engines", writer, title => writer.Group($"Upgrade engines, {title}"));
        await foreach (var result in runner.RunAsync(approved, ct).ConfigureAwait(false))
        {
            writer.Object(result);
        }

        if (plan.UnreachableError() is { } unreachable)
        {
            throw unreachable;
        }
    }
}
