using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ClusterManagement.Diagnostics;
using k8s.Autorest;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Runs API calls: turns every failure into a <see cref="ClusterException"/> that names the object,
/// and retries what is safe to retry (reads, and writes the caller marks idempotent) with a short,
/// bounded backoff.
/// </summary>
internal static class KubeApi
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

    /// <summary>
    /// Nothing listens at a refused address: a mistyped server fails in a fraction of a second, while a
    /// server in the middle of a restart still gets a moment.
    /// </summary>
    private static readonly TimeSpan[] RefusedBackoff = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)];

    /// <summary>
    /// A timed-out request has already taken the whole -RequestTimeout: it is tried once more (a fresh
    /// connection may answer where a stalled one did not), never more.
    /// </summary>
    private static readonly TimeSpan[] TimeoutBackoff = [TimeSpan.FromMilliseconds(200)];

    /// <param name="cancellationToken">Also carries the operation's deadline: no retry starts after it.</param>
    public static async Task<T> Call<T>(
        Func<CancellationToken, Task<T>> call,
        ResourceRef resource,
        CancellationToken cancellationToken,
        bool idempotent = true)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(e, resource) is { } error)
            {
                var backoff = BackoffFor(error, e);
                if (!idempotent || backoff is null || attempt >= backoff.Length)
                {
                    throw error;
                }

                ApiRequestLog.Note($"Retrying in {backoff[attempt].TotalMilliseconds:0} ms (retry {attempt + 1} of {backoff.Length}): {error.Message}");
                await Task.Delay(backoff[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The delays before each retry; null when the failure is not transient.</summary>
    private static TimeSpan[]? BackoffFor(ClusterException error, Exception cause) => error.Kind switch
    {
        // As a timed-out request: once more, on a fresh connection. The first connection of a process also pays the
        // TLS stack's start-up inside the budget (seconds on a loaded machine), the second does not.
        ClusterErrorKind.Unreachable when cause is ApiConnectTimeoutException => TimeoutBackoff,
        ClusterErrorKind.Timeout => TimeoutBackoff,
        ClusterErrorKind.Unreachable when cause is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => RefusedBackoff,
        ClusterErrorKind.Unreachable or ClusterErrorKind.ServerError => Backoff,
        ClusterErrorKind.TooManyRequests when error.ServerMessage?.Contains("disruption budget", StringComparison.OrdinalIgnoreCase) != true => Backoff,
        _ => null,
    };

    public static async Task Call(Func<CancellationToken, Task> call, ResourceRef resource, CancellationToken cancellationToken, bool idempotent = true) =>
        await Call(async ct => { await call(ct).ConfigureAwait(false); return true; }, resource, cancellationToken, idempotent).ConfigureAwait(false);

    /// <summary>Maps an exception from the client or the network to the module's error model; null for anything else.</summary>
    public static ClusterException? Translate(Exception exception, ResourceRef resource) => exception switch
    {
        ClusterException cluster => cluster,
        ServerCertificateException certificate =>
            new ClusterException(ClusterErrors.ServerCertificateInvalid, $"{certificate.Message}. Not retried: check the server address and the kubeconfig's certificate-authority-data.",
                certificate.Server,
                exception),
        ApiConnectTimeoutException connect =>
            new ClusterException(ClusterErrors.ApiServerUnreachable, $"{connect.Message} while working on {resource}.",
                connect.Server,
                exception),
        ApiRequestTimeoutException timeout =>
            new ClusterException(ClusterErrors.ApiRequestTimeout, $"{timeout.Message} while working on {resource}.",
                timeout.Server,
                exception),
        HttpOperationException http => FromStatus((int)http.Response.StatusCode, http.Response.Content, resource, http),
        HttpRequestException { InnerException: SocketException or IOException } or HttpRequestException { StatusCode: null } =>
            new ClusterException(ClusterErrors.ApiServerUnreachable, $"Cannot reach the Kubernetes API server: {exception.Message}",
                resource.ToString(),
                exception),
        IOException =>
            new ClusterException(ClusterErrors.ApiConnectionLost, $"The connection to the Kubernetes API server was lost: {exception.Message}",
                resource.ToString(),
                exception),
        TaskCanceledException or TimeoutException =>
            new ClusterException(ClusterErrors.ApiRequestTimeout, $"The Kubernetes API server did not answer in time while working on {resource}.",
                resource.ToString(),
                exception),
        _ => null,
    };

    public static ClusterException FromStatus(int statusCode, string? body, ResourceRef resource, Exception? inner = null)
    {
        var serverMessage = ReadStatusMessage(body) ?? $"HTTP {statusCode}";
        var (problem, message) = statusCode switch
        {
            (int)HttpStatusCode.NotFound => (ClusterErrors.Resource.NotFound, $"{resource} was not found."),
            (int)HttpStatusCode.Conflict when serverMessage.Contains("already exists", StringComparison.Ordinal) =>
                (ClusterErrors.Resource.AlreadyExists, $"{resource} already exists."),
            (int)HttpStatusCode.Conflict => (ClusterErrors.Resource.Conflict, $"{resource} was changed by someone else: {serverMessage}"),
            (int)HttpStatusCode.UnprocessableEntity => (ClusterErrors.Resource.Invalid, $"The API server rejected {resource}: {serverMessage}"),
            (int)HttpStatusCode.BadRequest => (ClusterErrors.Resource.BadRequest, $"The API server rejected the request for {resource}: {serverMessage}"),
            (int)HttpStatusCode.Unauthorized => (ClusterErrors.Resource.Unauthorized,
                $"The API server did not accept the credentials of this context (401): {serverMessage}"),
            (int)HttpStatusCode.Forbidden => (ClusterErrors.Resource.Forbidden, $"Access to {resource} is forbidden: {serverMessage}"),
            (int)HttpStatusCode.TooManyRequests => (ClusterErrors.Resource.TooManyRequests, serverMessage),
            >= 500 => (ClusterErrors.Resource.ServerError, $"The API server failed while working on {resource} ({statusCode}): {serverMessage}"),
            _ => (ClusterErrors.Resource.RequestFailed, $"The API server answered {statusCode} for {resource}: {serverMessage}"),
        };

        return new ClusterException(problem.About(resource.Kind), message, resource.Name ?? resource.Kind, inner)
        {
            StatusCode = statusCode,
            ServerMessage = serverMessage,
        };
    }

    private static string? ReadStatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message))
            {
                return null;
            }

            var text = message.GetString();
            // A PDB refusal explains itself only in its cause; keep it, the user needs to know which budget.
            if (root.TryGetProperty("details", out var details) && details.TryGetProperty("causes", out var causes) && causes.ValueKind == JsonValueKind.Array)
            {
                // An apply conflict's message already lists every field and manager its causes name.
                var reasons = causes.EnumerateArray()
                    .Where(c => !(c.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() == "FieldManagerConflict"))
                    .Select(c => c.TryGetProperty("message", out var m) ? m.GetString() : null)
                    .Where(m => !string.IsNullOrEmpty(m));
                var joined = string.Join("; ", reasons);
                if (joined.Length > 0 && text?.Contains(joined, StringComparison.Ordinal) != true)
                {
                    text = $"{text} ({joined})";
                }
            }

            return text;
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
