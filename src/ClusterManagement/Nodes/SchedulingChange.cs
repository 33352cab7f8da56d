using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

/// <summary>The cordon of Suspend-ClusterNode and the uncordon of Resume-ClusterNode: one step, two directions.</summary>
internal static class SchedulingChange
{
    /// <summary>
    /// A node already in the wanted state is left alone, as kubectl does; with passThru the node is
    /// written unless the change was declined (-WhatIf, No at the prompt).
    /// </summary>
    public static async Task ApplyAsync(
        string name, bool unschedulable, bool passThru, NodeMaintenance maintenance, NodeService nodes, PipelineWriter writer, CancellationToken ct)
    {
        var done = unschedulable ? "cordoned" : "uncordoned";
        var node = await nodes.GetAsync(name, ct).ConfigureAwait(false);
        if (node.Unschedulable == unschedulable)
        {
            writer.Verbose($"Node {name} is already {done}; nothing to change.");
        }
        else if (await writer.ShouldProcessAsync($"Node {name}", unschedulable ? "Cordon" : "Uncordon").ConfigureAwait(false))
        {
            (node, _) = await maintenance.SetUnschedulableAsync(name, unschedulable, mark: null, ct).ConfigureAwait(false);
            writer.Verbose($"Node {name} {done}.");
        }
        else
        {
            return;
        }

        if (passThru)
        {
            writer.Object(node);
        }
    }
}
