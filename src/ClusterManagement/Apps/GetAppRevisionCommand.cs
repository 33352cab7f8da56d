using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsCommon.Get, "AppRevision", HelpUri = HelpPages.Docs + "Get-AppRevision.md")]
[OutputType(typeof(AppRevision))]
public sealed class GetAppRevisionCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(AppRevisionCompleter))]
    public long? Revision { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var ns = NamespaceFor(connection, Namespace);
        var revisions = await new AppService(connection).GetRevisionsAsync(ns, Name, ct).ConfigureAwait(false);
        if (Revision is { } wanted)
        {
            var match = revisions.FirstOrDefault(r => r.Revision == wanted);
            if (match is null)
            {
                writer.Error(ErrorRecords.From(new ClusterException(ClusterErrors.AppRevisionNotFound, $"unable to find the specified revision {wanted} of app '{ns}/{Name}'", wanted)));
                return;
            }
            writer.Object(match);
            return;
        }
        foreach (var revision in revisions)
        {
            writer.Object(revision);
        }
    });
}
