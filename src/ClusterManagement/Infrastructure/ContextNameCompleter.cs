using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Completes context names from the kubeconfig; reads only local files, so it needs no cluster.</summary>
public sealed class ContextNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        try
        {
            var options = ClusterCmdlet.Resolve(null, fakeBoundParameters["KubeConfig"] as string, null, SessionDefaults.Current);
            return ClusterConnection.ListContexts(options.KubeConfig, null)
                .Where(c => pattern.IsMatch(c.Name))
                .Select(c => new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, $"{c.Name} ({c.Server})"))
                .ToList();
        }
        catch (Exception)
        {
            return [];
        }
    }
}
