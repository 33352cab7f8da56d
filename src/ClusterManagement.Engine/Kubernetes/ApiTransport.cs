using System.Globalization;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// The connection to the API server, with two things KubernetesClient does not give:
/// <list type="bullet">
/// <item>Opening a connection (TCP and TLS) is bounded by its own, shorter budget (-ConnectTimeout), so a
/// dead or silent server is given up long before a request's bound would end it.</item>
/// <item>Every request is bounded (kubectl's --request-timeout): connecting, TLS and the whole answer of
/// a plain request; for a watch only until the server answers, so a healthy watch lives as long as its
/// reader wants while a server that accepts and never answers still ends it.</item>
/// <item>The server certificate is checked as kubectl checks it, and a refusal says why. KubernetesClient's
/// own check accepts a certificate issued for another host when the kubeconfig names its own CA, and its
/// refusal carries no reason.</item>
/// </list>
/// KubernetesClient makes its own handler the inner handler of the last delegating handler it is given;
/// this one, given last, sends through its own handler instead and leaves that one unused.
/// </summary>
internal sealed class ApiTransport : DelegatingHandler
{
    private readonly HttpMessageInvoker connection;
    /// <summary>
    /// A cluster that has not even accepted a connection by then (twice: KubeApi tries once more) is taken for dead:
    /// client-go's (kubectl's) TLS handshake bound. Shorter, a just-started emulator was given up at load 165.
    /// </summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly string server;
    private readonly TimeSpan connectTimeout;
    private string? lastRejection;

    public ApiTransport(KubernetesClientConfiguration configuration, TimeSpan connectTimeout)
    {
        server = configuration.Host.TrimEnd('/');
        this.connectTimeout = connectTimeout;
        var handler = new SocketsHttpHandler
        {
            // Covers the TLS handshake too: a server whose kernel accepts the connection but that never answers.
            ConnectTimeout = connectTimeout,
            // As KubernetesClient's own handler: finds a dead connection under a long watch.
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            // A watch body closed by its reader (WatchStreams) never ends by itself: on HTTP/1.1, draining it
            // for reuse would keep the server serving it for the whole drain timeout, so the connection goes at once.
            ResponseDrainTimeout = TimeSpan.Zero,
            MaxResponseDrainSize = 0,
        };
        if (ClientCertificate(configuration) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        if (!string.IsNullOrEmpty(configuration.TlsServerName))
        {
            handler.SslOptions.TargetHost = configuration.TlsServerName;
        }

        var expectedName = string.IsNullOrEmpty(configuration.TlsServerName) ? new Uri(configuration.Host).Host : configuration.TlsServerName;
        var authorities = configuration.SslCaCerts;
        handler.SslOptions.RemoteCertificateValidationCallback = configuration.SkipTlsVerify
            ? (_, _, _, _) => true
            : (_, certificate, chain, _) => Accept(certificate, chain, expectedName, authorities);
        connection = new HttpMessageInvoker(handler);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var timeout = ApiRequestTimeout.Current;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            var response = await connection.SendAsync(request, bounded.Token).ConfigureAwait(false);
            if (IsWatch(request))
            {
                response.Content = WatchStreams.ClosingWhenGone(response.Content, WatchStreams.Current);
            }
            else
            {
                await ReadWhole(response, bounded.Token).ConfigureAwait(false);
            }

            return response;
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException && !bounded.IsCancellationRequested)
        {
            throw new ApiConnectTimeoutException(server, connectTimeout, e);
        }
        catch (OperationCanceledException e) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiRequestTimeoutException(server, timeout, e);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException && Volatile.Read(ref lastRejection) is { } reason)
        {
            throw new ServerCertificateException(server, reason, e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool Accept(X509Certificate? certificate, X509Chain? chain, string expectedName, X509Certificate2Collection? authorities)
    {
        var reason = certificate is not X509Certificate2 presented
            ? "the server sent no certificate"
            : ServerCertificates.Problem(
                presented,
                expectedName,
                authorities,
                new X509Certificate2Collection(chain?.ChainPolicy.ExtraStore ?? []),
                DateTime.UtcNow);
        // Read back by the request whose handshake this was; every connection goes to the same server.
        Volatile.Write(ref lastRejection, reason);
        return reason is null;
    }

    /// <summary>The kubeconfig's client certificate and key (data or files), as KubernetesClient reads them for its own handler.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration configuration)
    {
        var certificate = Pem(configuration.ClientCertificateData, configuration.ClientCertificateFilePath);
        var key = Pem(configuration.ClientCertificateKeyData, configuration.ClientKeyFilePath);
        if (certificate is null || key is null)
        {
            return null;
        }

        var loaded = X509Certificate2.CreateFromPem(certificate, key);
        // SChannel cannot present a certificate whose key lives only in memory.
        return OperatingSystem.IsWindows() ? new X509Certificate2(loaded.Export(X509ContentType.Pkcs12)) : loaded;
    }

    private static string? Pem(string? base64, string? path) =>
        !string.IsNullOrEmpty(base64) ? Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : !string.IsNullOrEmpty(path) ? File.ReadAllText(path)
        : null;

    private static bool IsWatch(HttpRequestMessage request) =>
        request.RequestUri?.Query.TrimStart('?').Split('&').Any(p => p is "watch=true" or "watch=1") == true;

    /// <summary>Reads the body within the bound too: a server that sends headers and then stalls must not hang the caller.</summary>
    private static async Task ReadWhole(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var streamed = response.Content;
        var whole = new ByteArrayContent(await streamed.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        foreach (var header in streamed.Headers)
        {
            whole.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = whole;
        streamed.Dispose();
    }
}

/// <summary>A server that did not accept a connection (TCP and TLS) within the command's -ConnectTimeout.</summary>
internal sealed class ApiConnectTimeoutException(string server, TimeSpan timeout, Exception inner)
    : TimeoutException($"The Kubernetes API server {server} did not accept a connection within {ApiRequestTimeoutException.Seconds(timeout)} (-ConnectTimeout)", inner)
{
    public string Server { get; } = server;
}

/// <summary>A request the server did not answer within the command's -RequestTimeout.</summary>
internal sealed class ApiRequestTimeoutException(string server, TimeSpan timeout, Exception inner)
    : TimeoutException($"The Kubernetes API server {server} did not answer within {Seconds(timeout)} (-RequestTimeout)", inner)
{
    public string Server { get; } = server;

    internal static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}

/// <summary>The server's certificate failed verification; <see cref="Reason"/> is Go's x509 message.</summary>
internal sealed class ServerCertificateException(string server, string reason, Exception inner)
    : AuthenticationException($"The certificate of the Kubernetes API server {server} is not valid: {reason}", inner)
{
    public string Server { get; } = server;

    public string Reason { get; } = reason;
}
