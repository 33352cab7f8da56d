using System.Diagnostics;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Reports every API request (verb, path, status, milliseconds) to whoever is listening on this
/// async flow. Clients are cached across commands, so the listener cannot be fixed when the client
/// is built; an AsyncLocal lets each command attach its own log. Headers are never logged, so
/// tokens and certificates cannot leak through -Verbose.
/// </summary>
internal sealed class ApiRequestLog : DelegatingHandler
{
    private static readonly AsyncLocal<IOperationLog?> Listener = new();

    public static IDisposable Attach(IOperationLog log)
    {
        var previous = Listener.Value;
        Listener.Value = log;
        return new Detach(previous);
    }

    /// <summary>A line about the requests themselves (a retry and its reason) for the same listener.</summary>
    internal static void Note(string message) => Listener.Value?.Verbose(message);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var log = Listener.Value;
        if (log is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var target = request.RequestUri?.PathAndQuery ?? "?";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            log.Verbose($"{request.Method} {target} {(int)response.StatusCode} {response.StatusCode} ({clock.ElapsedMilliseconds} ms)");
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            log.Verbose($"{request.Method} {target} failed after {clock.ElapsedMilliseconds} ms: {e.Message}");
            throw;
        }
    }

    private sealed class Detach(IOperationLog? previous) : IDisposable
    {
        public void Dispose() => Listener.Value = previous;
    }
}
