using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;

namespace ClusterManagement.Commands.Nodes;

[Cmdlet(VerbsCommon.Get, "ClusterNode", DefaultParameterSetName = ByName, HelpUri = HelpPages.Docs + "Get-ClusterNode.md")]
[OutputType(typeof(ClusterNode))]
public sealed class GetClusterNodeCommand : PodNodeCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName", "Node")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeRoleCompleter))]
    public string? Role { get; set; }

    [Parameter]
    public NodeReadiness? Status { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("Selector", "l")]
    public string? LabelSelector { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var nodes = new NodeService(connection);
        var names = RequestedNames(Name, writer);
        // A pod that names no node (unscheduled, or its node already written) asks for none, not for all.
        if (names is { Length: 0 })
        {
            return;
        }

        var filter = new NameFilter(names);

        // Exact names are read directly (one GET each), so a typo is an error rather than silence.
        foreach (var name in filter.Exact)
        {
            try
            {
                var node = await nodes.GetAsync(name, ct).ConfigureAwait(false);
                if (Matches(node))
                {
                    writer.Object(node);
                }
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("Node", name));
            }
        }

        if (!filter.ListNeeded)
        {
            return;
        }

        await foreach (var node in nodes.ListAsync(LabelSelector, ct).ConfigureAwait(false))
        {
            if (filter.MatchesListed(node.Name) && Matches(node))
            {
                writer.Object(node);
            }
        }
    });

    private bool Matches(ClusterNode node) =>
        (Role is null || node.Roles.Contains(Role, StringComparer.OrdinalIgnoreCase))
        && (Status is null || node.Readiness == Status);
}
