using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Storage;
using ClusterManagement.Engine.Storage;

namespace ClusterManagement.Commands.Storage;

[Cmdlet(VerbsCommon.Get, "CsiVolumeClaim", DefaultParameterSetName = InNamespace, HelpUri = HelpPages.Docs + "Get-CsiVolumeClaim.md")]
[OutputType(typeof(CsiVolumeClaim))]
public sealed class GetCsiVolumeClaimCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    private const string InNamespace = "InNamespace";
    private const string Everywhere = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ClaimName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CsiVolumeClaimNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = Everywhere, Mandatory = true)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    [Parameter(ParameterSetName = InNamespace, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("Selector", "l")]
    public string? LabelSelector { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var claims = new VolumeClaimService(connection, writer);
        var ns = AllNamespaces ? null : NamespaceFor(connection, Namespace);
        var filter = new NameFilter(Name);
        if (ns is not null)
        {
            foreach (var name in filter.Exact)
            {
                try
                {
                    writer.Object(await claims.GetAsync(ns, name, ct).ConfigureAwait(false));
                }
                catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
                {
                    writer.Error(ErrorRecords.NotFound("CsiVolumeClaim", $"{ns}/{name}"));
                }
            }
        }
        if (ns is not null && !filter.ListNeeded)
        {
            return;
        }
        await foreach (var claim in claims.ListAsync(ns, LabelSelector, ct).ConfigureAwait(false))
        {
            // In one namespace exact names were read above; across all of them they select from the list too.
            var wanted = ns is not null
                ? filter.MatchesListed(claim.Name)
                : Name is null || filter.Exact.Contains(claim.Name) || filter.Patterns.Any(p => p.IsMatch(claim.Name));
            if (wanted)
            {
                writer.Object(claim);
            }
        }
    });
}
