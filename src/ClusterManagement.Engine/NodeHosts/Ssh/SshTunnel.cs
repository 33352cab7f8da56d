using Renci.SshNet;

namespace ClusterManagement.NodeHosts.Ssh;

/// <summary>A local port forwarded through a node's SSH connection; disposing closes the forward.</summary>
public sealed class SshTunnel : IDisposable
{
    private readonly SshClient client;
    private readonly ForwardedPortLocal forward;

    internal SshTunnel(SshClient client, ForwardedPortLocal forward)
    {
        this.client = client;
        this.forward = forward;
    }

    public Uri LocalEndpoint => new($"tcp://127.0.0.1:{forward.BoundPort}");

    public void Dispose()
    {
        forward.Stop();
        if (client.IsConnected)
        {
            client.RemoveForwardedPort(forward);
        }

        forward.Dispose();
    }
}
