using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

[Cmdlet(VerbsCommon.Get, "CsiDriver", HelpUri = HelpPages.Docs + "Get-CsiDriver.md")]
[OutputType(typeof(CsiDriver))]
public sealed class GetCsiDriverCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Driver", "Provisioner")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiDriverNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var drivers = new CsiDriverService(connection);
        var filter = new NameFilter(Name);
        foreach (var name in filter.Exact)
        {
            try
            {
                writer.Object(await drivers.GetAsync(name, ct).ConfigureAwait(false));
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("CsiDriver", name));
            }
        }
        if (filter.ListNeeded)
        {
            await foreach (var driver in drivers.ListAsync(ct).ConfigureAwait(false))
            {
                if (filter.MatchesListed(driver.Name))
                {
                    writer.Object(driver);
                }
            }
        }
    });
}
