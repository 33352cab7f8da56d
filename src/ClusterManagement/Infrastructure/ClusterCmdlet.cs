using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Commands.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Fleets;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Base of every cmdlet that talks to a cluster: the connection parameters and their defaults, and the one
/// way a cmdlet works across several kubeconfig contexts (<see cref="RunInContexts"/>).
/// </summary>
public abstract class ClusterCmdlet : AsyncCmdlet, IDynamicParameters
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>
    /// Context names or wildcards. Bound from a piped object's Context as well, so that an object read from
    /// one cluster goes back to that cluster whatever the session default.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string[]? Context
    {
        get => context;
        set
        {
            context = value;
            if (value is { Length: > 0 })
            {
                contextsSinceConnect.Add(string.Join(", ", value));
            }
        }
    }

    private string[]? context;

    /// <summary>The -Context values bound (once on the command line, or per piped object) since the last connection.</summary>
    private readonly HashSet<string> contextsSinceConnect = new(StringComparer.Ordinal);

    /// <summary>How far this cmdlet reaches: one context, or several at once for reading or for changing.</summary>
    private protected virtual ContextReach Reach => ContextReach.One;

    private ContextInputParameters? fanOutParameters;

    public object? GetDynamicParameters() => fanOutParameters ??= NewContextParameters();

    /// <summary>The parameters that go with <see cref="Reach"/>; null for a cmdlet of one context.</summary>
    private protected virtual ContextInputParameters? NewContextParameters() => Reach switch
    {
        ContextReach.Reads => new ContextFanOutParameters(),
        ContextReach.Changes => new ContextChangeParameters(),
        _ => null,
    };

    private HashSet<string> commandLineParameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> pipedContexts = [];
    private Func<ClusterConnection, PipelineWriter, CancellationToken, Task>? pipedContextWork;

    /// <summary>Sets -RequestTimeout for every cluster cmdlet of a process: a pipeline variable reaches every step.</summary>
    internal const string RequestTimeoutVariable = "CLUSTERMANAGEMENT_REQUEST_TIMEOUT";

    /// <summary>The bound on each API request (kubectl's --request-timeout), retries aside.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? RequestTimeout { get; set; }

    private TimeSpan requestBound = ApiRequestTimeout.Default;

    /// <summary>Sets -ConnectTimeout for every cluster cmdlet of a process, as <see cref="RequestTimeoutVariable"/> does.</summary>
    internal const string ConnectTimeoutVariable = "CLUSTERMANAGEMENT_CONNECT_TIMEOUT";

    /// <summary>How long opening a connection to a cluster (TCP and TLS) may take before the cluster is given up.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? ConnectTimeout { get; set; }

    private protected override TimeSpan RequestBound => requestBound;

    private SessionDefaults sessionDefaults = new();
    private ConnectionOptions? connectionOptions;

    /// <summary>
    /// Reads the session's defaults and resolves paths here, on the pipeline thread: the work itself
    /// runs on the thread pool, where there is no default runspace and no session state.
    /// Derived cmdlets that override this must call it.
    /// </summary>
    protected override void BeginProcessing()
    {
        requestBound = ResolveTimeout(RequestTimeout, nameof(RequestTimeout), RequestTimeoutVariable, ApiRequestTimeout.Default, ClusterErrors.RequestTimeoutInvalid);
        var connectBound = ResolveTimeout(ConnectTimeout, nameof(ConnectTimeout), ConnectTimeoutVariable, ApiTransport.DefaultConnectTimeout, ClusterErrors.ConnectTimeoutInvalid);
        sessionDefaults = SessionDefaults.Current;
        commandLineParameters = new(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        if (Context is { } given && given.Any(string.IsNullOrEmpty))
        {
            ThrowErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ContextNotFound, "-Context names an empty context; give context names or wildcards, or leave -Context out for the session's context.", given));
        }

        connectionOptions = Resolve(this, KubeConfig, null, sessionDefaults) with { ConnectTimeout = connectBound };
    }

    /// <summary>
    /// Runs work once for every context this record names (-Context, wildcards resolved against the kubeconfig,
    /// or contexts piped from Get-ClusterContext, which run together at the end, -ThrottleLimit at a time).
    /// With one context (the session default included) it runs as a plain Run would. With several, each
    /// context's failure is one error naming it and the others go on; objects name their context and show it
    /// in the views; see <see cref="ContextFanOut"/>.
    /// </summary>
    private protected void RunInContexts(Func<ClusterConnection, PipelineWriter, CancellationToken, Task> work)
    {
        if (fanOutParameters?.InputContext is { } piped)
        {
            ForgetWhatThePipedContextBound();
            fanOutParameters.InputContext = null;
            pipedContexts.Add(piped.Name);
            pipedContextWork = work;
            return;
        }

        RunOn(SelectedContexts(), work);
    }

    /// <summary>Runs the work of the contexts piped in, all at once. Derived cmdlets that override this must call it.</summary>
    protected override void EndProcessing()
    {
        if (pipedContextWork is { } work)
        {
            RunOn(pipedContexts.Distinct(StringComparer.Ordinal).ToList(), work);
        }
    }

    /// <summary>
    /// The contexts the current record names, for a cmdlet that gathers the input of every record and works on it
    /// at the end (<see cref="RunOn"/>): a piped context, else -Context with wildcards resolved, else the session's
    /// context ("" when the kubeconfig names none, so that opening it reports that).
    /// </summary>
    private protected IReadOnlyList<string> ContextsOfRecord()
    {
        contextsSinceConnect.Clear();
        if (fanOutParameters?.InputContext is { } piped)
        {
            ForgetWhatThePipedContextBound();
            fanOutParameters.InputContext = null;
            return [piped.Name];
        }

        return SelectedContexts() ?? [sessionContext ??= SessionContextName()];
    }

    private string? sessionContext;

    private string SessionContextName()
    {
        try
        {
            return Options.Context ?? ClusterConnection.ListContexts(Options.KubeConfig, null).FirstOrDefault(c => c.IsCurrent)?.Name ?? "";
        }
        catch (ClusterException)
        {
            // An unreadable kubeconfig is reported once, where the work opens the context.
            return "";
        }
    }

    /// <summary>
    /// Runs work once for each of <paramref name="contexts"/> (all of them at the end, for a cmdlet that gathers
    /// its input): as a plain Run for one, as <see cref="RunInContexts"/> fans out for several.
    /// </summary>
    private protected void RunOn(IReadOnlyList<string>? contexts, Func<ClusterConnection, PipelineWriter, CancellationToken, Task> work)
    {
        contextsSinceConnect.Clear();
        if (contexts is not { Count: > 1 })
        {
            Run(async (writer, ct) =>
            {
                var connection = Open(contexts?[0]);
                await work(connection, writer.For(connection.ContextName, connection.ClusterName, amongSeveral: false), ct).ConfigureAwait(false);
            });
            return;
        }

        if (fanOutParameters is not { } parameters)
        {
            ThrowErrorRecord(ErrorRecords.From(OneContextOnly($"-Context selects {string.Join(", ", contexts)}")));
            return;
        }

        Run(async (writer, ct) =>
        {
            var fanOut = new ContextFanOut(Open, parameters.ContextLimit, parameters.StopsOnFirstFailure, failure => writer.Error(ErrorRecords.From(failure)), writer);
            await fanOut.RunAsync(
                contexts,
                async (connection, token) =>
                {
                    var contextWriter = writer.For(connection.ContextName, connection.ClusterName, amongSeveral: true);
                    try
                    {
                        await work(connection, contextWriter, token).ConfigureAwait(false);
                    }
                    finally
                    {
                        contextWriter.CloseProgress();
                    }

                    return contextWriter.FirstFailure;
                },
                ct).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// The contexts -Context selects, wildcards resolved against the kubeconfig; null without -Context (the
    /// session's context). Exact names stay as given, so a missing one fails where it is opened, naming it.
    /// </summary>
    private List<string>? SelectedContexts()
    {
        if (Context?.Where(c => !string.IsNullOrEmpty(c)).ToList() is not { Count: > 0 } patterns)
        {
            return null;
        }

        var selected = ContextPatterns.Select(patterns, Options.KubeConfig);
        return selected.Count > 0
            ? selected
            : throw new ClusterException(ClusterErrors.ContextNotFound, $"No kubeconfig context matches -Context {string.Join(", ", patterns)}. Known contexts: {string.Join(", ", ClusterConnection.ListContexts(Options.KubeConfig, null).Select(c => c.Name))}.", string.Join(", ", patterns));
    }

    /// <summary>
    /// A context piped from Get-ClusterContext also binds its own Name (and Namespace) to the cmdlet's
    /// parameters of those names: those are about objects in the cluster, not the context, so they go back to
    /// what the command line gave them. A mandatory one left without a value is a usage error.
    /// </summary>
    private void ForgetWhatThePipedContextBound()
    {
        var pristine = Activator.CreateInstance(GetType());
        foreach (var name in MyInvocation.BoundParameters.Keys.Where(k => !commandLineParameters.Contains(k) && k != nameof(ContextInputParameters.InputContext)).ToList())
        {
            if (GetType().GetProperty(name) is not { } property)
            {
                continue;
            }

            property.SetValue(this, property.GetValue(pristine));
            MyInvocation.BoundParameters.Remove(name);
            var metadata = MyInvocation.MyCommand.Parameters[name].ParameterSets;
            if ((metadata.GetValueOrDefault(ParameterSetName) ?? metadata.GetValueOrDefault(ParameterAttribute.AllParameterSets)) is { IsMandatory: true })
            {
                ThrowErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.ContextInputIncomplete,
                    $"A context piped to {MyInvocation.MyCommand.Name} does not say which -{name}: give -{name} on the command line, for example: Get-ClusterContext 'prod-*' | {MyInvocation.MyCommand.Name} -{name} <value>.",
                    name));
            }
        }
    }

    /// <summary>A bound from its parameter, else its environment variable (which a pipeline variable sets for every step), else the default.</summary>
    private TimeSpan ResolveTimeout(TimeSpan? parameter, string parameterName, string variable, TimeSpan fallback, ClusterError invalid)
    {
        var (timeout, source) = parameter is { } given
            ? (given, $"-{parameterName}")
            : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
                ? (TimeoutTransformationAttribute.TryParse(text, out var parsed) ? parsed : TimeSpan.MinValue, $"$env:{variable} ('{text}')")
                : (fallback, "");
        // kubectl's 0 (no bound at all) is not offered: a pipeline step must never wait forever.
        if (timeout <= TimeSpan.Zero || timeout > ApiRequestTimeout.Maximum)
        {
            ThrowErrorRecord(ErrorRecords.InvalidArgument(invalid,
                $"{source} must be seconds or a TimeSpan, more than zero and at most a day, such as 30 or 00:00:30.",
                source));
        }

        return timeout;
    }

    private ConnectionOptions Options => connectionOptions ?? throw new InvalidOperationException("BeginProcessing of ClusterCmdlet did not run.");

    private ClusterConnection Open(string? contextName) => ClusterConnection.Open(Options with { Context = string.IsNullOrEmpty(contextName) ? Options.Context : contextName });

    /// <summary>
    /// The connection of the one context this record names. Objects piped from several contexts into a cmdlet
    /// that works on them together, or a -Context that selects several, would silently go to one cluster: an error instead.
    /// </summary>
    private protected ClusterConnection Connect()
    {
        var several = contextsSinceConnect.Count > 1;
        contextsSinceConnect.Clear();
        var contexts = SelectedContexts();
        if (several || contexts is { Count: > 1 })
        {
            throw OneContextOnly(several ? "objects from several contexts were piped in" : $"-Context selects {string.Join(", ", contexts!)}");
        }

        return Open(contexts?[0]);
    }

    private ClusterException OneContextOnly(string which) => new(ClusterErrors.ContextAmbiguous,
        $"{MyInvocation.MyCommand.Name} works on one context at a time, but {which}: run it once per context (ForEach-Object), or name one with -Context.",
        Context);

    /// <summary>The namespace session defaults give for <paramref name="connection"/>, if any.</summary>
    /// <summary>-Namespace, defaulting as kubectl does: the session's (Use-ClusterContext), then the context's.</summary>
    private protected string NamespaceFor(ClusterConnection connection, string? requested) =>
        connection.ResolveNamespace(requested ?? SessionNamespaceFor(connection));

    private protected string? SessionNamespaceFor(ClusterConnection connection) =>
        sessionDefaults.Context == connection.ContextName ? sessionDefaults.Namespace : null;

    /// <summary>Shared with argument completers, which see parameters only as a dictionary.</summary>
    internal static ConnectionOptions Resolve(PSCmdlet? cmdlet, string? kubeConfig, string? context, SessionDefaults defaults)
    {
        var explicitConfig = kubeConfig is null ? null : ResolvePaths(cmdlet, kubeConfig);
        // Session defaults belong to the kubeconfig they were chosen from; another file means another cluster.
        var defaultsApply = explicitConfig is null || explicitConfig == defaults.KubeConfig;
        return new ConnectionOptions
        {
            KubeConfig = explicitConfig ?? defaults.KubeConfig,
            Context = context ?? (defaultsApply ? defaults.Context : null),
        };
    }

    internal static string ResolvePaths(PSCmdlet? cmdlet, string paths) =>
        string.Join(
            Path.PathSeparator,
            paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => cmdlet is null ? Path.GetFullPath(p) : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)));
}
