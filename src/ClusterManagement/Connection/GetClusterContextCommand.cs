using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Connection;

[Cmdlet(VerbsCommon.Get, "ClusterContext", HelpUri = HelpPages.Docs + "Get-ClusterContext.md")]
[OutputType(typeof(ClusterContext))]
public sealed class GetClusterContextCommand : AsyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    protected override void ProcessRecord()
    {
        var options = ClusterCmdlet.Resolve(this, KubeConfig, null, SessionDefaults.Current);
        IReadOnlyList<ClusterContext> contexts;
        try
        {
            var current = SessionDefaults.Current.KubeConfig == options.KubeConfig ? SessionDefaults.Current.Context : null;
            contexts = ClusterConnection.ListContexts(options.KubeConfig, current);
        }
        catch (ClusterException e)
        {
            ThrowErrorRecord(ErrorRecords.From(e));
            return;
        }

        if (Name is null)
        {
            WriteObject(contexts, enumerateCollection: true);
            return;
        }

        foreach (var name in Name)
        {
            var matches = ContextPatterns.Matching(contexts, name).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteErrorRecord(ErrorRecords.From(new ClusterException(ClusterErrors.ContextNotFound, $"The kubeconfig has no context named '{name}'.", name)));
            }

            WriteObject(matches, enumerateCollection: true);
        }
    }
}
