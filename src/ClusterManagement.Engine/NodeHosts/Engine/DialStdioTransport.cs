using ClusterManagement.NodeHosts.Ssh;
using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;

namespace ClusterManagement.NodeHosts.Engine;

/// <summary>
/// The Docker CLI's transport for ssh:// hosts as a Docker.DotNet handler factory: every HTTP
/// connection the client opens is one exec channel of the node's verified SSH connection running
/// <c>docker system dial-stdio</c>, which relays it to the engine's unix socket. No TCP port listens
/// for the engine on the node, and none is forwarded on the admin's machine.
/// </summary>
internal sealed class DialStdioTransport : IDockerHandlerFactory<NodeShell>
{
    /// <summary>The socket the engine packages' docker.socket unit creates; the module keeps no other listener.</summary>
    public const string SocketPath = "/var/run/docker.sock";

    /// <summary>
    /// Through sudo -n, like every other root command of the module: the socket is root's (group
    /// docker), the login user needs NOPASSWD sudo anyway, and membership in the docker group would be
    /// a second, unlogged way to root. --host pins the socket whatever context or DOCKER_HOST the node's
    /// users configured for their own CLI.
    /// </summary>
    public static readonly string Command = $"sudo -n docker --host unix://{SocketPath} system dial-stdio";

    /// <summary>
    /// OpenSSH allows ten sessions per connection (MaxSessions) and the module's own commands share
    /// them; the module's engine calls run one after another, so a few channels are plenty.
    /// </summary>
    private const int MostChannels = 4;

    /// <summary>An idle relay costs a process on the node; the client opens a new channel when it needs one.</summary>
    private static readonly TimeSpan IdleChannelLifetime = TimeSpan.FromSeconds(30);

    public static DialStdioTransport Instance { get; } = new();

    /// <summary>The engine as this transport reaches it, for output and messages.</summary>
    public static string Describe(SshTarget target) =>
        $"ssh://{target.User}@{(target.Host.Contains(':', StringComparison.Ordinal) ? $"[{target.Host}]" : target.Host)}:{target.Port}{SocketPath}";

    public ResolvedTransport CreateHandler(NodeShell shell, ResolvedClientOptions clientOptions, ILogger logger)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) => await shell.OpenStreamAsync(Command, cancellationToken).ConfigureAwait(false),
            MaxConnectionsPerServer = MostChannels,
            PooledConnectionIdleTimeout = IdleChannelLifetime,
            UseProxy = false,
        };

        // The host name only fills the Host header; the connection is the channel, wherever the name points.
        return new ResolvedTransport(clientOptions.AuthProvider.ConfigureHandler(handler), new Uri("http://docker"));
    }

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        throw new NotSupportedException("The dial-stdio transport needs the node's SSH connection: select it with WithTransportOptions(transport, shell).");

    /// <summary>An upgraded connection of a SocketsHttpHandler, which is what the native HTTP transport hijacks too.</summary>
    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) =>
        Docker.DotNet.NativeHttp.DockerHandlerFactory.Instance.HijackStreamAsync(content);
}
