using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Backup;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsData.Backup, "ClusterNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpPages.Docs + "Backup-ClusterNode.md")]
[OutputType(typeof(NodeBackup))]
public sealed class BackupClusterNodeCommand : NodeHostCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "NodeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Node { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter IncludeEtcd { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    private string destinationPath = string.Empty;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        destinationPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
    }

    private protected override ContextReach Reach => ContextReach.Changes;

    protected override void ProcessRecord() => AddNodes(() => Node);

    protected override void EndProcessing() => RunOnRequestedContexts(async (connection, writer, ct) =>
    {
        var nodes = await ResolveNodesAsync(connection, writer, allWhenNone: false, ct).ConfigureAwait(false);
        var folder = NodeBackupService.FolderFor(destinationPath, writer.ContextAmongSeveral);
        var approved = new List<ClusterNode>();
        foreach (var node in nodes)
        {
            if (await writer.ShouldProcessAsync($"{node.Name} -> {folder}", IncludeEtcd ? "Back up node configuration and etcd" : "Back up node configuration").ConfigureAwait(false))
            {
                approved.Add(node);
            }
        }

        var connector = Connector(connection, writer);
        await ForEachAsync(approved, writer, async (node, token) =>
        {
            writer.Object(await NodeBackupService.CreateAsync(connector, node, folder, IncludeEtcd, Timeout, writer, token).ConfigureAwait(false));
        }, ct).ConfigureAwait(false);
    });
}
