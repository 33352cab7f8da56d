using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>
/// Removes a claim, saying first whether its volume will be deleted or retained. A claim that a pod
/// mounts is refused unless -EvenIfInUse: Kubernetes would keep it Terminating until the pods are gone.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "CsiVolumeClaim", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpPages.Docs + "Remove-CsiVolumeClaim.md")]
[OutputType(typeof(void))]
public sealed class RemoveCsiVolumeClaimCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ClaimName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiVolumeClaimNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter EvenIfInUse { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var ns = NamespaceFor(connection, Namespace);
        var claims = new VolumeClaimService(connection, writer);
        foreach (var name in Name)
        {
            ClaimRemovalPlan plan;
            try
            {
                plan = await claims.PlanRemovalAsync(ns, name, ct).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("CsiVolumeClaim", $"{ns}/{name}"));
                continue;
            }
            var pods = string.Join(", ", plan.MountedBy);
            if (plan.MountedBy.Count > 0 && !DestructiveSwitchInEffect(nameof(EvenIfInUse), "removes claims that pods mount", writer))
            {
                writer.Error(ErrorRecords.From(new ClusterException(ClusterErrors.CsiVolumeClaimInUse,
                    $"Claim {ns}/{name} is mounted by pod(s) {pods}; removing it now would leave it Terminating until they are gone. Stop those pods first, or use -EvenIfInUse.", name)));
                continue;
            }
            if (!await writer.ShouldProcessAsync($"CsiVolumeClaim '{ns}/{name}'", $"Remove; {plan.VolumeFate}").ConfigureAwait(false))
            {
                continue;
            }
            await claims.DeleteAsync(ns, name, ct).ConfigureAwait(false);
            writer.Verbose($"Claim {ns}/{name} removed; {plan.VolumeFate}.");
            if (plan.MountedBy.Count > 0)
            {
                writer.Warning($"Claim {ns}/{name} stays Terminating until pod(s) {pods} are gone; then {plan.VolumeFate}.");
            }
        }
    });
}
