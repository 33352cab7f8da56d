using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>
/// Removes a class. Kubernetes does not stop this while claims use the class, but pending claims
/// then never get a volume and bound ones can no longer grow, so in-use classes need -EvenIfInUse.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "StorageClass", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Remove-StorageClass.md")]
[OutputType(typeof(void))]
public sealed class RemoveStorageClassCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("StorageClass")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageClassNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter EvenIfInUse { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var classes = new StorageClassService(connection, writer);
        var claims = new VolumeClaimService(connection, writer);
        foreach (var name in Name)
        {
            try
            {
                await classes.GetAsync(name, ct).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("StorageClass", name));
                continue;
            }
            var users = new List<CsiVolumeClaim>();
            await foreach (var claim in claims.ListAsync(null, null, ct).ConfigureAwait(false))
            {
                if (claim.StorageClass == name)
                {
                    users.Add(claim);
                }
            }
            var pending = users.Where(c => c.Status == "Pending").Select(c => c.ToString()).ToList();
            var usage = users.Count == 0 ? "" :
                $"{users.Count} claim(s) use it ({string.Join(", ", users.Take(5))}{(users.Count > 5 ? ", ..." : "")}): bound volumes keep working but can no longer be expanded"
                + (pending.Count > 0 ? $", and pending claims ({string.Join(", ", pending)}) will never get a volume" : "");
            if (users.Count > 0 && !DestructiveSwitchInEffect(nameof(EvenIfInUse), "removes classes that claims use", writer))
            {
                writer.Error(ErrorRecords.From(new ClusterException(ClusterErrors.StorageClassInUse,
                    $"StorageClass '{name}' is in use: {usage}. Remove or move those claims first, or use -EvenIfInUse to remove the class anyway.", name)));
                continue;
            }
            if (!await writer.ShouldProcessAsync($"StorageClass '{name}'", "Remove" + (users.Count > 0 ? $" although {usage}" : "")).ConfigureAwait(false))
            {
                continue;
            }
            await classes.DeleteAsync(name, ct).ConfigureAwait(false);
            if (users.Count > 0)
            {
                writer.Warning($"StorageClass '{name}' was removed while {usage}.");
            }
        }
    });
}
