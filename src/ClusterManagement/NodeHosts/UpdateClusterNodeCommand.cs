using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsData.Update, "ClusterNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Update-ClusterNode.md")]
[OutputType(typeof(NodeKubernetesUpgrade))]
public sealed class UpdateClusterNodeCommand : NodeHostCmdlet
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
    [ValidateRange(1, 1000)]
    public int MaxUnavailable { get; set; } = 1;

    [Parameter]
    public SwitchParameter SkipDrain { get; set; }

    [Parameter]
    public SwitchParameter DeleteEmptyDirData { get; set; }

    [Parameter]
    public SwitchParameter DeleteUnmanagedPods { get; set; }

    [Parameter]
    public SwitchParameter Stepwise { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(15);

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force.IsPresent;

    protected override void ProcessRecord() => AddNodes(Node);

    protected override void EndProcessing() => Run(async (writer, ct) =>
    {
        var request = Engine.NodeHosts.Rollout.KubernetesVersion.ParseRequest(KubernetesVersion);
        var connection = Connect();
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: true, ct).ConfigureAwait(false);
        if (nodes.Count == 0)
        {
            return;
        }

        var drain = SkipDrain ? null : new DrainOptions { IgnoreDaemonSets = true, DeleteEmptyDirData = DeleteEmptyDirData.IsPresent, DeleteUnmanagedPods = DeleteUnmanagedPods.IsPresent };
        var upgrade = new KubernetesUpgrade(connection, Connector(writer), new EngineUpgradeOptions(drain, Timeout), writer);
        IReadOnlyList<string> names = RequestedNodes.Count == 0 ? [] : nodes.Select(n => n.Name).ToList();
        await foreach (var result in upgrade.RunAsync(names, request, Stepwise.IsPresent, MaxUnavailable, ThrottleLimit,
            (item, description) => writer.ShouldProcessAsync(item.Node.Name, description), title => writer.Group(title), ct).ConfigureAwait(false))
        {
            writer.Object(result);
        }
    });
}
