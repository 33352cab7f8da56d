using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Completes names from the live clusters named by the command line's own -KubeConfig/-Context: of several
/// contexts (-Context a, 'prod-*'), the names of all of them, asked at the same time.
/// Completion must never hang a prompt or print errors: a slow or unreachable cluster yields nothing, and
/// the names of the clusters that answered within the budget are offered without it.
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
        IEnumerable<string> names;
        try
        {
            var budget = Volatile.Read(ref clientLoaded) == 1 ? Budget : Budget + ColdStartAllowance;
            using var timeout = new CancellationTokenSource(budget);
            var options = ClusterCmdlet.Resolve(null, fakeBoundParameters["KubeConfig"] as string, null, SessionDefaults.Current);
            var lists = ContextsOf(fakeBoundParameters[ContextParameter], options.KubeConfig)
                .Select(context => Task.Run(() => ListNamesAsync(ClusterConnection.Open(context is null ? options : options with { Context = context }), fakeBoundParameters, timeout.Token), timeout.Token))
                .ToArray();
            foreach (var list in lists)
            {
                _ = list.ContinueWith(_ => Volatile.Write(ref clientLoaded, 1), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            try
            {
                Task.WaitAll(lists, budget);
            }
            catch (AggregateException)
            {
                // A cluster that failed offers nothing; the others' names still count.
            }

            names = lists.Where(l => l.IsCompletedSuccessfully).SelectMany(l => l.Result).Distinct(StringComparer.Ordinal).ToList();
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

    /// <summary>The contexts the command line names (names or wildcards, one or several); null alone for the session's context.</summary>
    private static IReadOnlyList<string?> ContextsOf(object? given, string? kubeConfig)
    {
        IEnumerable<string> named = given switch
        {
            string one => [one],
            object[] several => several.OfType<string>(),
            _ => [],
        };
        var patterns = named.Where(p => p.Length > 0).ToList();
        return patterns.Count == 0 ? [null] : [.. ContextPatterns.Select(patterns, kubeConfig)];
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
