using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>Changes a volume's reclaim policy: Retain keeps the volume and its data after its claim is removed.</summary>
[Cmdlet(VerbsCommon.Set, "CsiVolume", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "Set-CsiVolume.md")]
[OutputType(typeof(CsiVolume))]
public sealed class SetCsiVolumeCommand : ClaimVolumeCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Volume", "VolumeName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiVolumeNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true)]
    [ValidateSet("Retain", "Delete")]
    public string ReclaimPolicy { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var volumes = new VolumeService(connection);
        foreach (var name in RequestedNames(Name, writer))
        {
            CsiVolume current;
            try
            {
                current = await volumes.GetAsync(name, ct).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("CsiVolume", name));
                continue;
            }
            if (current.ReclaimPolicy == ReclaimPolicy)
            {
                writer.Verbose($"Volume {name} already has reclaim policy {ReclaimPolicy}.");
            }
            else if (await writer.ShouldProcessAsync($"CsiVolume '{name}'", $"Set reclaim policy {current.ReclaimPolicy} -> {ReclaimPolicy}").ConfigureAwait(false))
            {
                current = await volumes.SetReclaimPolicyAsync(name, ReclaimPolicy, ct).ConfigureAwait(false);
                if (ReclaimPolicy == "Delete" && current.Status == "Released")
                {
                    writer.Warning($"Volume {name} is Released: with reclaim policy Delete its driver now deletes it and its data.");
                }
            }
            if (PassThru)
            {
                writer.Object(current);
            }
        }
    });
}
