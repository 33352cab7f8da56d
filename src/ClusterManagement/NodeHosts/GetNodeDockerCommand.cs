using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsCommon.Get, "NodeDocker", HelpUri = HelpPages.Docs + "Get-NodeDocker.md")]
[OutputType(typeof(NodeDocker))]
public sealed class GetNodeDockerCommand : NodeHostCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    protected override TimeSpan SshConnectTimeout => Timeout;

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing() => RunOnRequestedContexts(async (connection, writer, ct) =>
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: true, ct).ConfigureAwait(false);
        var probes = new NodeDockerService(Connector(connection, writer));
        var results = new NodeDocker?[nodes.Count];
        var done = 0;
        await ForEachAsync(Enumerable.Range(0, nodes.Count), writer, async (i, token) =>
        {
            results[i] = await probes.ProbeAsync(nodes[i], Timeout, token).ConfigureAwait(false);
            var finished = Interlocked.Increment(ref done);
            writer.Progress(new(1, "Probing node engines", $"{finished} of {nodes.Count} answered", finished * 100 / nodes.Count));
        }, ct).ConfigureAwait(false);
        writer.Progress(new(1, "Probing node engines", "Done", 100, Completed: true));

        // Results in the order the nodes were asked for, whatever order they answered in.
        foreach (var result in results.OfType<NodeDocker>())
        {
            writer.Object(result);
        }
    });
}
