using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;

using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>
/// A Docker.DotNet transport whose connections are streams a dial function opens: for node engines,
/// one exec channel of the node's verified SSH connection running <c>docker system dial-stdio</c>
/// per HTTP connection (<see cref="EngineClient.DialCommand"/>), as the Docker CLI does for ssh:// hosts.
/// No TCP port listens for the engine on the node, and none is forwarded on the admin's machine.
/// </summary>
internal sealed class ChannelTransport : IDockerHandlerFactory<Func<CancellationToken, Task<Stream>>>
{
    /// <summary>
    /// OpenSSH allows ten sessions per connection (MaxSessions) and the module's own commands share
    /// them; the module's engine calls run one after another, so a few channels are plenty.
    /// </summary>
    internal const int MostChannels = 4;

    /// <summary>An idle relay costs a process on the node; the client opens a new channel when it needs one.</summary>
    private static readonly TimeSpan IdleChannelLifetime = TimeSpan.FromSeconds(30);

    public static ChannelTransport Instance { get; } = new();

    public ResolvedTransport CreateHandler(Func<CancellationToken, Task<Stream>> dial, ResolvedClientOptions clientOptions, ILogger logger)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) => await dial(cancellationToken).ConfigureAwait(false),

            // Connection attempts outlive the request that started them; without a bound, a channel
            // that never opens would keep its dial waiting after the call gave up.
            ConnectTimeout = clientOptions.Timeout > TimeSpan.Zero ? clientOptions.Timeout : Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = MostChannels,
            PooledConnectionIdleTimeout = IdleChannelLifetime,
            UseProxy = false,
        };

        // The host name only fills the Host header; the connection is whatever the dial function opens.
        return new ResolvedTransport(clientOptions.AuthProvider.ConfigureHandler(handler), new Uri("http://docker"));
    }

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        throw new NotSupportedException("A channel transport needs its dial function: select it with WithTransportOptions(transport, dial).");

    /// <summary>An upgraded connection of a SocketsHttpHandler, which is what the native HTTP transport hijacks too.</summary>
    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) =>
        global::Docker.DotNet.NativeHttp.DockerHandlerFactory.Instance.HijackStreamAsync(content);
}
