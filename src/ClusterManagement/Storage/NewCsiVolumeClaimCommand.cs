using System.Collections;
using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

[Cmdlet(VerbsCommon.New, "CsiVolumeClaim", SupportsShouldProcess = true, HelpUri = HelpPages.Docs + "New-CsiVolumeClaim.md")]
[OutputType(typeof(CsiVolumeClaim))]
public sealed class NewCsiVolumeClaimCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>A Kubernetes quantity: 1Gi, 500Mi, 1G.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateQuantity]
    public string Size { get; set; } = "";

    [Parameter]
    [ValidateSet("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")]
    [Alias("AccessModes")]
    public string[] AccessMode { get; set; } = ["ReadWriteOnce"];

    /// <summary>Omitted: the cluster's default class.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StorageClassNameCompleter))]
    public string? StorageClass { get; set; }

    [Parameter]
    [ValidateSet("Filesystem", "Block")]
    public string VolumeMode { get; set; } = "Filesystem";

    [Parameter]
    [Alias("Labels")]
    public Hashtable? Label { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    protected override void ProcessRecord()
    {
        var labels = ParameterMaps.Strings(Label);
        RunInContexts(async (connection, writer, ct) =>
        {
            var ns = NamespaceFor(connection, Namespace);
            var claims = new VolumeClaimService(connection, writer);
            var size = ClusterManagement.Engine.Storage.StorageQuantity.Canonical(Size);
            if (!await writer.ShouldProcessAsync($"CsiVolumeClaim '{ns}/{Name}'", $"Create, {size} {string.Join(",", AccessMode)}, class {StorageClass ?? "(the default)"}").ConfigureAwait(false))
            {
                return;
            }
            var claim = await claims.CreateAsync(new ClaimRequest(ns, Name, size, AccessMode, StorageClass, VolumeMode, labels), ct).ConfigureAwait(false);
            if (Wait)
            {
                var result = await claims.WaitBoundAsync(ns, Name, Timeout, ct).ConfigureAwait(false);
                claim = result.Claim;
                claim.Diagnosis = result.Diagnosis;
                if (result.Explanation is { } why)
                {
                    writer.Warning($"Claim {ns}/{Name} is {claim.Status}: {why}");
                }
            }
            writer.Object(claim);
        });
    }
}
