using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

[Cmdlet(VerbsCommon.Get, "CsiVolume", DefaultParameterSetName = ByName, HelpUri = HelpPages.Docs + "Get-CsiVolume.md")]
[OutputType(typeof(CsiVolume))]
public sealed class GetCsiVolumeCommand : ClaimVolumeCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Volume", "VolumeName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiVolumeNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only volumes in this phase: Available, Bound, Released, Failed.</summary>
    [Parameter]
    [ValidateSet("Pending", "Available", "Bound", "Released", "Failed")]
    public string? Status { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var volumes = new VolumeService(connection);
        var names = RequestedNames(Name, writer);
        // A claim that names no volume (pending, or its volume already written) asks for none, not for all.
        if (names is { Length: 0 })
        {
            return;
        }

        var filter = new NameFilter(names);
        foreach (var name in filter.Exact)
        {
            try
            {
                var volume = await volumes.GetAsync(name, ct).ConfigureAwait(false);
                if (Status is null || volume.Status == Status)
                {
                    writer.Object(volume);
                }
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("CsiVolume", name));
            }
        }
        if (!filter.ListNeeded)
        {
            return;
        }
        await foreach (var volume in volumes.ListAsync(ct).ConfigureAwait(false))
        {
            if (filter.MatchesListed(volume.Name) && (Status is null || volume.Status == Status))
            {
                writer.Object(volume);
            }
        }
    });
}
