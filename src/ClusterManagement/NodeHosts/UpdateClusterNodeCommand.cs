using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsData.Update, "ClusterNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Update-ClusterNode.md")]
[OutputType(typeof(NodeKubernetesUpgrade))]
public sealed class UpdateClusterNodeCommand : RollingUpgradeCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string KubernetesVersion { get; set; } = string.Empty;

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    [Parameter]
    public SwitchParameter Stepwise { get; set; }

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing()
    {
        var request = CheckedUpFront(() => Engine.NodeHosts.Rollout.KubernetesVersion.ParseRequest(KubernetesVersion));
        RunOnRequestedContexts((connection, writer, ct) => UpgradeAsync(connection, writer, request, ct));
    }

    /// <summary>One cluster's upgrade, in kubeadm's order: with several contexts each runs its own, and a failed one is that cluster's failure.</summary>
    private async Task UpgradeAsync(ClusterConnection connection, PipelineWriter writer, Engine.NodeHosts.Rollout.KubernetesVersion.VersionRequest request, CancellationToken ct)
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: true, ct).ConfigureAwait(false);
        if (nodes.Count == 0)
        {
            return;
        }

        var upgrade = new KubernetesUpgrade(connection, Connector(connection, writer), UpgradeOptions(), writer);
        IReadOnlyList<string> names = RequestedNodesIn(connection).Count == 0 ? [] : nodes.Select(n => n.Name).ToList();
        await foreach (var result in upgrade.RunAsync(names, request, Stepwise.IsPresent, MaxUnavailable, ThrottleLimit,
            (item, description) => writer.ShouldProcessAsync(item.Node.Name, description), title => writer.Group(title), ct).ConfigureAwait(false))
        {
            writer.Object(result);
        }
    }
}
