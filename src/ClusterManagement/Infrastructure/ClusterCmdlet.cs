using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Commands.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Base of every cmdlet that talks to a cluster: the connection parameters and their defaults.</summary>
public abstract class ClusterCmdlet : AsyncCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string? Context { get; set; }

    /// <summary>Sets -RequestTimeout for every cluster cmdlet of a process: a pipeline variable reaches every step.</summary>
    internal const string RequestTimeoutVariable = "CLUSTERMANAGEMENT_REQUEST_TIMEOUT";

    /// <summary>The bound on each API request (kubectl's --request-timeout), retries aside.</summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? RequestTimeout { get; set; }

    private TimeSpan requestBound = ApiRequestTimeout.Default;

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
        requestBound = ResolveRequestTimeout();
        sessionDefaults = SessionDefaults.Current;
        connectionOptions = Resolve(this, KubeConfig, Context, sessionDefaults);
    }

    private TimeSpan ResolveRequestTimeout()
    {
        var (timeout, source) = RequestTimeout is { } given
            ? (given, "-RequestTimeout")
            : Environment.GetEnvironmentVariable(RequestTimeoutVariable) is { Length: > 0 } text
                ? (TimeoutTransformationAttribute.TryParse(text, out var parsed) ? parsed : TimeSpan.MinValue, $"$env:{RequestTimeoutVariable} ('{text}')")
                : (ApiRequestTimeout.Default, "");
        // kubectl's 0 (no bound at all) is not offered: a pipeline step must never wait forever.
        if (timeout <= TimeSpan.Zero || timeout > ApiRequestTimeout.Maximum)
        {
            ThrowErrorRecord(ErrorRecords.InvalidArgument(ClusterErrors.RequestTimeoutInvalid,
                $"{source} must be seconds or a TimeSpan, more than zero and at most a day, such as 30 or 00:00:30.",
                source));
        }

        return timeout;
    }

    private protected ClusterConnection Connect() =>
        ClusterConnection.Open(connectionOptions ?? throw new InvalidOperationException("BeginProcessing of ClusterCmdlet did not run."));

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
