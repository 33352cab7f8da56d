using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.Engine.NodeHosts.Rollout;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsCommon.Get, "ClusterUpgradePlan", HelpUri = HelpPages.Docs + "Get-ClusterUpgradePlan.md")]
[OutputType(typeof(NodeUpgradePlan))]
public sealed class GetClusterUpgradePlanCommand : NodeHostCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string KubernetesVersion { get; set; } = "latest";

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    private protected override ContextReach Reach => ContextReach.Reads;

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing()
    {
        var request = CheckedUpFront(() => Engine.NodeHosts.Rollout.KubernetesVersion.ParseRequest(KubernetesVersion));
        RunOnRequestedContexts(async (connection, writer, ct) =>
        {
            var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: true, ct).ConfigureAwait(false);
            writer.Progress(new(1, "Planning the Kubernetes upgrade", "Reading versions, package sources and holds on every node"));
            // The whole cluster is planned, so that each node's step and blockers are those of a run over all nodes.
            var upgrade = new KubernetesUpgrade(connection, Connector(connection, writer), new EngineUpgradeOptions(new DrainOptions { IgnoreDaemonSets = true }, System.Threading.Timeout.InfiniteTimeSpan), writer);
            var plan = await upgrade.PlanAsync([], request, refreshLists: false, ThrottleLimit, ct).ConfigureAwait(false);
            writer.Progress(new(1, "Planning the Kubernetes upgrade", "Done", 100, Completed: true));
            foreach (var (_, unread) in plan.Unread.Where(u => nodes.Any(n => n.Name == u.Node)))
            {
                writer.Error(ErrorRecords.From(unread));
            }

            if (plan.SkipsMinors)
            {
                writer.Warning(UpgradeRules.SkipsMinors(plan.From, plan.Sequence).Message.Replace(" Nothing was changed.", string.Empty, StringComparison.Ordinal));
            }

            foreach (var item in plan.Items.Where(i => nodes.Any(n => n.Name == i.Node.Name)))
            {
                writer.Object(item.Plan);
            }
        });
    }
}
