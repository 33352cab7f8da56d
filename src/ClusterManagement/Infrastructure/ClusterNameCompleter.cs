using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Completes names from the live cluster named by the command line's own -KubeConfig/-Context.
/// Completion must never hang a prompt or print errors: a slow or unreachable cluster yields nothing.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    // The first completion in a process also loads the client: the engine and its dependencies, the
    // kubeconfig, and the JIT of the TLS and JSON paths. That costs seconds on a loaded machine, is paid
    // once, and is no sign of a slow cluster; without this allowance the first Tab of a session came
    // back empty. Once any completion has finished, the plain budget applies again.
    private static readonly TimeSpan ColdStartAllowance = TimeSpan.FromSeconds(6);

    private static int clientLoaded;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        IReadOnlyList<string> names;
        try
        {
            var budget = Volatile.Read(ref clientLoaded) == 1 ? Budget : Budget + ColdStartAllowance;
            using var timeout = new CancellationTokenSource(budget);
            // Of several contexts (-Context a, b) the first one's names: completion must answer within its budget.
            var context = fakeBoundParameters[ContextParameter] is object[] several ? several.FirstOrDefault() as string : fakeBoundParameters[ContextParameter] as string;
            var options = ClusterCmdlet.Resolve(null, fakeBoundParameters["KubeConfig"] as string, context, SessionDefaults.Current);
            var task = Task.Run(() => ListNamesAsync(ClusterConnection.Open(options), fakeBoundParameters, timeout.Token), timeout.Token);
            _ = task.ContinueWith(_ => Volatile.Write(ref clientLoaded, 1), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            names = task.Wait(budget) ? task.Result : [];
        }
        catch (Exception)
        {
            return [];
        }

        return names
            .Where(pattern.IsMatch)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name))
            .ToList();
    }

    /// <summary>The parameter that names the kubeconfig context on the command line.</summary>
    protected virtual string ContextParameter => "Context";

    private protected abstract Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken);

    private static string Quote(string name) =>
        name.IndexOfAny([' ', '$', '`', '\'', '"', ';', '(', ')', '{', '}', ',']) >= 0 ? $"'{name.Replace("'", "''")}'" : name;
}

public class NamespaceCompleter : ClusterNameCompleter
{
    private protected override Task<IReadOnlyList<string>> ListNamesAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        NamespaceNames.ListAsync(connection, cancellationToken);
}

/// <summary>Use-ClusterContext -Namespace: the namespaces of the context its -Name chooses, not of the current one.</summary>
public sealed class ChosenContextNamespaceCompleter : NamespaceCompleter
{
    protected override string ContextParameter => "Name";
}
