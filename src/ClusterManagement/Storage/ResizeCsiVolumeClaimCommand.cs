using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

/// <summary>
/// Grows a claim. Shrinking, unbound claims and classes without expansion are refused before any
/// change, saying why; -Wait follows the resize conditions until the new capacity is reported.
/// </summary>
[Cmdlet(VerbsCommon.Resize, "CsiVolumeClaim", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "Resize-CsiVolumeClaim.md")]
[OutputType(typeof(CsiVolumeClaim))]
public sealed class ResizeCsiVolumeClaimCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ClaimName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiVolumeClaimNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>The new, larger size: a Kubernetes quantity such as 2Gi.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateQuantity]
    public string Size { get; set; } = "";

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var ns = NamespaceFor(connection, Namespace);
        var claims = new VolumeClaimService(connection, writer);
        var plan = await claims.PlanResizeAsync(ns, Name, Size, ct).ConfigureAwait(false);
        if (!plan.Unchanged && !await writer.ShouldProcessAsync($"CsiVolumeClaim '{ns}/{Name}'", $"Resize from {plan.Claim.RequestedSize} to {plan.Size}").ConfigureAwait(false))
        {
            return;
        }
        var claim = await claims.ResizeAsync(plan, ct).ConfigureAwait(false);
        if (Wait)
        {
            // Said before the wait, so that a wait stopped with Ctrl+C still leaves word of the change.
            writer.Verbose($"CsiVolumeClaim {ns}/{Name} now requests {plan.Size}; waiting for the resize.");
            var result = await claims.WaitResizedAsync(ns, Name, Timeout, ct).ConfigureAwait(false);
            claim = result.Claim;
            if (result.Explanation is { } why)
            {
                writer.Warning(why);
            }
        }
        writer.Object(claim);
    });
}
