using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace ClusterManagement.NodeHosts.Engine;

/// <summary>
/// The Docker Engine API of one node, over exec channels of its verified SSH connection
/// (<see cref="DialStdioTransport"/>), at the API version negotiated from the server's /version.
/// </summary>
public sealed partial class EngineClient : IDisposable
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

    /// <summary>The engine as the module reaches it (ssh://user@host:port/var/run/docker.sock).</summary>
    public static string Endpoint(SshTarget target) => DialStdioTransport.Describe(target);

    /// <summary>The engine client borrows <paramref name="shell"/>: dispose the client before the shell.</summary>
    public static async Task<EngineClient> OpenAsync(NodeShell shell, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // /version answers at any API version, so the first call needs none pinned.
        VersionResponse version;
        using (var unversioned = Build(shell, null, timeout))
        {
            version = await Call(() => unversioned.System.GetVersionAsync(cancellationToken), shell.Target).ConfigureAwait(false);
        }

        var apiVersion = ApiVersionNegotiation.Negotiate(version.APIVersion, version.MinAPIVersion, shell.Target.ToString());
        return new EngineClient(Build(shell, apiVersion, timeout), version, apiVersion);
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

    private static DockerClient Build(NodeShell shell, Version? apiVersion, TimeSpan timeout)
    {
        // An explicit endpoint keeps the builder from resolving DOCKER_HOST or a docker context of the admin's own machine.
        var builder = new DockerClientBuilder().WithEndpoint(new Uri($"unix://{DialStdioTransport.SocketPath}")).WithTimeout(timeout);
        if (apiVersion is not null)
        {
            builder = builder.WithApiVersion(apiVersion);
        }

        return builder.WithTransportOptions(DialStdioTransport.Instance, shell).Build();
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, SshTarget target)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DockerApiException or TimeoutException
                                       || (e is TaskCanceledException && e.InnerException is TimeoutException))
        {
            throw new ClusterException(
                ClusterErrorKind.Unreachable,
                "EngineNotAnswering",
                $"The Docker Engine at {Endpoint(target)} does not answer: {Innermost(e).Message}",
                target.Host,
                e);
        }
    }

    /// <summary>The HTTP client wraps the reason (the relay's own error, such as sudo's) in generic messages.</summary>
    private static Exception Innermost(Exception e) => e.InnerException is { } inner and not TimeoutException ? Innermost(inner) : e;
}
