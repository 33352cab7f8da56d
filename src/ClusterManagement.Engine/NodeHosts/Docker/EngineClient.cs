using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>
/// The Docker Engine API of one node, over exec channels of its verified SSH connection
/// (<see cref="ChannelTransport"/>), at the API version negotiated from the server's /version.
/// </summary>
internal sealed partial class EngineClient : IDisposable
{
    private readonly DockerClient client;

    private EngineClient(DockerClient client, VersionResponse version, Version apiVersion)
    {
        this.client = client;
        ServerVersion = version;
        ApiVersion = apiVersion;
    }

    public VersionResponse ServerVersion { get; }

    public Version ApiVersion { get; }

    /// <summary>The socket the engine packages' docker.socket unit creates; the module keeps no other listener.</summary>
    public const string SocketPath = "/var/run/docker.sock";

    /// <summary>
    /// Through sudo -n, like every other root command of the module: the socket is root's (group
    /// docker), the login user needs NOPASSWD sudo anyway, and membership in the docker group would be
    /// a second, unlogged way to root. --host pins the socket whatever context or DOCKER_HOST the node's
    /// users configured for their own CLI.
    /// </summary>
    public static readonly string DialCommand = $"sudo -n docker --host unix://{SocketPath} system dial-stdio";

    /// <summary>The engine as the module reaches it, for output and messages.</summary>
    public static string Endpoint(SshTarget target) =>
        $"ssh://{target.User}@{(target.Host.Contains(':', StringComparison.Ordinal) ? $"[{target.Host}]" : target.Host)}:{target.Port}{SocketPath}";

    /// <summary>The engine client borrows <paramref name="shell"/>: dispose the client before the shell.</summary>
    public static Task<EngineClient> OpenAsync(NodeShell shell, TimeSpan timeout, CancellationToken cancellationToken) =>
        OpenAsync(ct => shell.OpenStreamAsync(DialCommand, ct), Endpoint(shell.Target), shell.Target.Host, timeout, cancellationToken);

    /// <summary>An engine whose every HTTP connection is a stream <paramref name="dial"/> opens.</summary>
    internal static async Task<EngineClient> OpenAsync(Func<CancellationToken, Task<Stream>> dial, string endpoint, string host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // /version answers at any API version, so the first call needs none pinned.
        VersionResponse version;
        using (var unversioned = Build(dial, null, timeout))
        {
            version = await Call(() => unversioned.System.GetVersionAsync(cancellationToken), endpoint, host, timeout, cancellationToken).ConfigureAwait(false);
        }

        var apiVersion = ApiVersionNegotiation.Negotiate(version.APIVersion, version.MinAPIVersion, host);
        return new EngineClient(Build(dial, apiVersion, timeout), version, apiVersion);
    }

    public Task<SystemInfoResponse> InfoAsync(CancellationToken cancellationToken) =>
        client.System.GetSystemInfoAsync(cancellationToken);

    public string? ComponentVersion(string name) => Component(name)?.Version;

    /// <summary>The component's GitCommit detail; distribution builds put their full package version there ("1.6.20~ds1-1+deb12u2").</summary>
    public string? ComponentBuild(string name) =>
        Component(name)?.Details is { } details && details.TryGetValue("GitCommit", out var commit) && commit.Length > 0 ? commit : null;

    private ComponentVersion? Component(string name) =>
        ServerVersion.Components?.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public void Dispose() => client.Dispose();

    private static DockerClient Build(Func<CancellationToken, Task<Stream>> dial, Version? apiVersion, TimeSpan timeout)
    {
        // An explicit endpoint keeps the builder from resolving DOCKER_HOST or a docker context of the admin's own machine.
        var builder = new DockerClientBuilder().WithEndpoint(new Uri($"unix://{SocketPath}")).WithTimeout(timeout);
        if (apiVersion is not null)
        {
            builder = builder.WithApiVersion(apiVersion);
        }

        return builder.WithTransportOptions(ChannelTransport.Instance, dial).Build();
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, string endpoint, string host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's own timeout: a relay that never opened or an engine that never answered.
            throw new ClusterException(ClusterErrors.EngineResponseTimeout, $"The Docker Engine at {endpoint} did not answer within {timeout}.", host, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DockerApiException)
        {
            throw new ClusterException(ClusterErrors.EngineNotAnswering, $"The Docker Engine at {endpoint} does not answer: {Innermost(e).Message}",
                host,
                e);
        }
    }

    /// <summary>The HTTP client wraps the reason (the relay's own error, such as sudo's) in generic messages.</summary>
    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
