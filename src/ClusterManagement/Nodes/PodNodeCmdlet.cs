using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

/// <summary>Base of the node cmdlets: a pod from the pipeline (Get-NodePod) means the node it runs on.</summary>
public abstract class PodNodeCmdlet : ReferringInputCmdlet<NodePod>
{
    private protected override string? ReferredName(NodePod input) => input.Node;

    private protected override ErrorRecord Unreferred(NodePod input) => NotScheduled(input);

    internal static ErrorRecord NotScheduled(NodePod pod) => ErrorRecords.InvalidArgument(ClusterErrors.PodNotScheduled, $"Pod {pod} is not scheduled on a node yet, so it names no node.", pod);
}
