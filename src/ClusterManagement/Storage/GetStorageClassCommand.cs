using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

[Cmdlet(VerbsCommon.Get, "StorageClass", HelpUri = HelpPages.Docs + "Get-StorageClass.md")]
[OutputType(typeof(StorageClass))]
public sealed class GetStorageClassCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("StorageClass")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageClassNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only the default class.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var classes = new StorageClassService(connection, writer);
        var filter = new NameFilter(Name);
        foreach (var name in filter.Exact)
        {
            try
            {
                var sc = await classes.GetAsync(name, ct).ConfigureAwait(false);
                if (!Default || sc.IsDefault)
                {
                    writer.Object(sc);
                }
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("StorageClass", name));
            }
        }
        if (!filter.ListNeeded)
        {
            return;
        }
        await foreach (var sc in classes.ListAsync(ct).ConfigureAwait(false))
        {
            if (filter.MatchesListed(sc.Name) && (!Default || sc.IsDefault))
            {
                writer.Object(sc);
            }
        }
    });
}
