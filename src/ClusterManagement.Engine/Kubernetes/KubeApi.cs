using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ClusterManagement.Diagnostics;
using k8s.Autorest;

namespace ClusterManagement.Kubernetes;

/// <summary>
/// Runs API calls: turns every failure into a <see cref="ClusterException"/> that names the object,
/// and retries what is safe to retry (reads, and writes the caller marks idempotent) with a short,
/// bounded backoff.
/// </summary>
public static class KubeApi
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];

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
                if (idempotent && IsTransient(error) && attempt < Backoff.Length)
                {
                    await Task.Delay(Backoff[attempt], cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw error;
            }
        }
    }

    public static async Task Call(Func<CancellationToken, Task> call, ResourceRef resource, CancellationToken cancellationToken, bool idempotent = true) =>
        await Call(async ct => { await call(ct).ConfigureAwait(false); return true; }, resource, cancellationToken, idempotent).ConfigureAwait(false);

    private static bool IsTransient(ClusterException error) =>
        error.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.ServerError or ClusterErrorKind.Timeout
        || (error.Kind == ClusterErrorKind.TooManyRequests && error.ServerMessage?.Contains("disruption budget", StringComparison.OrdinalIgnoreCase) != true);

    /// <summary>Maps an exception from the client or the network to the module's error model; null for anything else.</summary>
    public static ClusterException? Translate(Exception exception, ResourceRef resource) => exception switch
    {
        ClusterException cluster => cluster,
        HttpOperationException http => FromStatus((int)http.Response.StatusCode, http.Response.Content, resource, http),
        HttpRequestException { InnerException: SocketException or IOException } or HttpRequestException { StatusCode: null } =>
            new ClusterException(
                ClusterErrorKind.Unreachable,
                "ApiServerUnreachable",
                $"Cannot reach the Kubernetes API server: {exception.Message}",
                resource.ToString(),
                exception),
        IOException =>
            new ClusterException(
                ClusterErrorKind.Unreachable,
                "ApiConnectionLost",
                $"The connection to the Kubernetes API server was lost: {exception.Message}",
                resource.ToString(),
                exception),
        TaskCanceledException or TimeoutException =>
            new ClusterException(
                ClusterErrorKind.Timeout,
                "ApiRequestTimeout",
                $"The Kubernetes API server did not answer in time while working on {resource}.",
                resource.ToString(),
                exception),
        _ => null,
    };

    public static ClusterException FromStatus(int statusCode, string? body, ResourceRef resource, Exception? inner = null)
    {
        var serverMessage = ReadStatusMessage(body) ?? $"HTTP {statusCode}";
        var (kind, suffix, message) = statusCode switch
        {
            (int)HttpStatusCode.NotFound => (ClusterErrorKind.NotFound, "NotFound", $"{resource} was not found."),
            (int)HttpStatusCode.Conflict when serverMessage.Contains("already exists", StringComparison.Ordinal) =>
                (ClusterErrorKind.AlreadyExists, "AlreadyExists", $"{resource} already exists."),
            (int)HttpStatusCode.Conflict => (ClusterErrorKind.Conflict, "Conflict", $"{resource} was changed by someone else: {serverMessage}"),
            (int)HttpStatusCode.UnprocessableEntity => (ClusterErrorKind.Invalid, "Invalid", $"The API server rejected {resource}: {serverMessage}"),
            (int)HttpStatusCode.BadRequest => (ClusterErrorKind.Invalid, "BadRequest", $"The API server rejected the request for {resource}: {serverMessage}"),
            (int)HttpStatusCode.Unauthorized => (ClusterErrorKind.Unauthorized, "Unauthorized",
                $"The API server did not accept the credentials of this context (401): {serverMessage}"),
            (int)HttpStatusCode.Forbidden => (ClusterErrorKind.Forbidden, "Forbidden", $"Access to {resource} is forbidden: {serverMessage}"),
            (int)HttpStatusCode.TooManyRequests => (ClusterErrorKind.TooManyRequests, "TooManyRequests", serverMessage),
            >= 500 => (ClusterErrorKind.ServerError, "ServerError", $"The API server failed while working on {resource} ({statusCode}): {serverMessage}"),
            _ => (ClusterErrorKind.OperationFailed, "RequestFailed", $"The API server answered {statusCode} for {resource}: {serverMessage}"),
        };

        return new ClusterException(kind, resource.Kind + suffix, message, resource.Name ?? resource.Kind, inner)
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
                var reasons = causes.EnumerateArray()
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
