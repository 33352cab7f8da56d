using System.Management.Automation;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Network;

/// <summary>
/// Node addresses and pod ranges, one object per node, then a cluster summary. Problems (a node
/// without a pod range, ranges that overlap) are also written as warnings, so they are seen even
/// when the objects go further down a pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClusterNetwork")]
[OutputType(typeof(NodeNetwork), typeof(ClusterNetworkSummary))]
public sealed class GetClusterNetworkCommand : ClusterCmdlet
{
    /// <summary>Writes only the cluster summary.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord() => Run(async (writer, ct) =>
    {
        var (nodes, summary) = await new ClusterNetworkService(Connect()).ReadAsync(writer, ct).ConfigureAwait(false);
        foreach (var problem in summary.Problems)
        {
            writer.Warning(problem);
        }

        if (!Summary)
        {
            foreach (var node in nodes)
            {
                writer.Object(node);
            }
        }

        writer.Object(summary);
    });
}
