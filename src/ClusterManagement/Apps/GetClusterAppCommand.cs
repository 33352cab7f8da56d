using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsCommon.Get, "ClusterApp", DefaultParameterSetName = InNamespace)]
[OutputType(typeof(ClusterApp))]
public sealed class GetClusterAppCommand : NamespacedCmdlet
{
    private const string InNamespace = "InNamespace";
    private const string Everywhere = "AllNamespaces";

    /// <summary>
    /// <para type="description">Names of the apps (Deployments). Wildcards are allowed; a name without wildcards that does not exist is an error.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// <para type="description">Lists the apps of every namespace, like kubectl get deploy -A.</para>
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = Everywhere)]
    [Alias("A")]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>
    /// <para type="description">A label selector, as kubectl's -l: app=web, tier in (front,back), !canary.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("Selector", "l")]
    public string? LabelSelector { get; set; }

    protected override void ProcessRecord() => Run(async (writer, ct) =>
    {
        var connection = Connect();
        var apps = new AppService(connection);
        var ns = AllNamespaces ? null : NamespaceFor(connection);
        var exactNames = Name?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList() ?? [];
        var patterns = Name?.Where(WildcardPattern.ContainsWildcardCharacters)
            .Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList() ?? [];

        if (ns is not null)
        {
            foreach (var name in exactNames)
            {
                try
                {
                    writer.Object(await apps.GetAsync(ns, name, ct).ConfigureAwait(false));
                }
                catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
                {
                    writer.Error(ErrorRecords.From(new ClusterException(ClusterErrorKind.NotFound, "AppNotFound", $"App '{ns}/{name}' was not found.", name)));
                }
            }
            if (Name is not null && patterns.Count == 0)
            {
                return;
            }
        }

        await foreach (var app in apps.ListAsync(ns, LabelSelector, ct).ConfigureAwait(false))
        {
            var wanted = Name is null
                || patterns.Any(p => p.IsMatch(app.Name))
                || (ns is null && exactNames.Contains(app.Name, StringComparer.OrdinalIgnoreCase));
            if (wanted)
            {
                writer.Object(app);
            }
        }
    });
}
