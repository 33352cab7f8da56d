using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace ClusterManagement.NodeHosts.Engine;

/// <summary>
/// The Docker Engine API of one node, through an SSH tunnel to the engine's loopback listener,
/// at the API version negotiated from the server's /version.
/// </summary>
public sealed partial class EngineClient : IDisposable
{
    private readonly SshTunnel tunnel;
    private readonly DockerClient client;

    private EngineClient(SshTunnel tunnel, DockerClient client, VersionResponse version, Version apiVersion)
    {
        this.tunnel = tunnel;
        this.client = client;
        ServerVersion = version;
        ApiVersion = apiVersion;
    }

    public VersionResponse ServerVersion { get; }

    public Version ApiVersion { get; }

    public static async Task<EngineClient> OpenAsync(NodeShell shell, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        NodeConnector.RequireLoopback(endpoint, shell.Target.Host);
        var tunnel = shell.OpenTunnel(endpoint.Host, endpoint.Port);
        DockerClient? client = null;
        try
        {
            // /version answers at any API version, so the first call needs none pinned.
            VersionResponse version;
            using (var unversioned = Build(tunnel.LocalEndpoint, null, timeout))
            {
                version = await Call(() => unversioned.System.GetVersionAsync(cancellationToken), shell.Target, endpoint).ConfigureAwait(false);
            }

            var apiVersion = ApiVersionNegotiation.Negotiate(version.APIVersion, version.MinAPIVersion, shell.Target.ToString());
            client = Build(tunnel.LocalEndpoint, apiVersion, timeout);
            return new EngineClient(tunnel, client, version, apiVersion);
        }
        catch
        {
            client?.Dispose();
            tunnel.Dispose();
            throw;
        }
    }

    public Task<SystemInfoResponse> InfoAsync(CancellationToken cancellationToken) =>
        client.System.GetSystemInfoAsync(cancellationToken);

    public string? ComponentVersion(string name) => Component(name)?.Version;

    /// <summary>The component's GitCommit detail; distribution builds put their full package version there ("1.6.20~ds1-1+deb12u2").</summary>
    public string? ComponentBuild(string name) =>
        Component(name)?.Details is { } details && details.TryGetValue("GitCommit", out var commit) && commit.Length > 0 ? commit : null;

    private ComponentVersion? Component(string name) =>
        ServerVersion.Components?.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        client.Dispose();
        tunnel.Dispose();
    }

    private static DockerClient Build(Uri local, Version? apiVersion, TimeSpan timeout)
    {
        var builder = new DockerClientBuilder().WithEndpoint(local).WithTimeout(timeout);
        if (apiVersion is not null)
        {
            builder = builder.WithApiVersion(apiVersion);
        }

        return builder.Build();
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, SshTarget target, Uri endpoint)
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
                $"The Docker Engine at {endpoint} on {target} does not answer: {e.Message}",
                target.Host,
                e);
        }
    }
}
