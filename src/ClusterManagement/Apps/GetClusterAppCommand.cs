using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsCommon.Get, "ClusterApp", DefaultParameterSetName = InNamespace, HelpUri = HelpPages.Docs + "Get-ClusterApp.md")]
[OutputType(typeof(ClusterApp))]
public sealed class GetClusterAppCommand : ClusterCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    private const string InNamespace = "InNamespace";
    private const string Everywhere = "AllNamespaces";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = Everywhere)]
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

    /// <summary>Also read the apps' pods: which have a problem and why (UnhealthyPods, and Reason from them).</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord() => RunInContexts(async (connection, writer, ct) =>
    {
        var apps = new AppService(connection);
        var ns = AllNamespaces ? null : NamespaceFor(connection, Namespace);
        var filter = new NameFilter(Name);

        if (ns is not null)
        {
            foreach (var name in filter.Exact)
            {
                try
                {
                    writer.Object(Detailed ? await apps.GetDetailedAsync(ns, name, ct).ConfigureAwait(false) : await apps.GetAsync(ns, name, ct).ConfigureAwait(false));
                }
                catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
                {
                    writer.Error(ErrorRecords.From(new ClusterException(ClusterErrors.AppNotFound, $"App '{ns}/{name}' was not found.", name)));
                }
            }
            if (!filter.ListNeeded)
            {
                return;
            }
        }

        await foreach (var app in apps.ListAsync(ns, LabelSelector, Detailed, ct).ConfigureAwait(false))
        {
            // Across namespaces there is no single GET per name: the listing selects exact names too.
            if (ns is null ? filter.Matches(app.Name) : filter.MatchesListed(app.Name))
            {
                writer.Object(app);
            }
        }
    });
}
