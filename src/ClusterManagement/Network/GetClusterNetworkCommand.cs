using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;

namespace ClusterManagement.Commands.Network;

/// <summary>
/// Node addresses and pod ranges, one object per node, or with -Summary only the cluster summary: one
/// type per invocation, so Export-Csv gets uniform rows. Problems (a node without a pod range, ranges
/// that overlap) are written as warnings either way, so they are seen even when the objects go further
/// down a pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClusterNetwork", DefaultParameterSetName = Nodes, HelpUri = HelpPages.Docs + "Get-ClusterNetwork.md")]
[OutputType(typeof(NodeNetwork), ParameterSetName = [Nodes])]
[OutputType(typeof(ClusterNetworkSummary), ParameterSetName = [OnlySummary])]
public sealed class GetClusterNetworkCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    private const string Nodes = "Nodes";
    private const string OnlySummary = "Summary";

    /// <summary>Writes only the cluster summary instead of the node rows.</summary>
    [Parameter(Mandatory = true, ParameterSetName = OnlySummary)]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var (nodes, summary) = await new ClusterNetworkService(connection).ReadAsync(writer, ct).ConfigureAwait(false);
        foreach (var problem in summary.Problems)
        {
            writer.Warning(problem);
        }

        if (Summary)
        {
            writer.Object(summary);
            return;
        }

        foreach (var node in nodes)
        {
            writer.Object(node);
        }
    });
}
