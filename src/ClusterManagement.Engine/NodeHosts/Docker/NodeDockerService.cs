using ClusterManagement.Diagnostics;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>Probes node engines; a probe never throws for trouble on the host, it reports it in the result.</summary>
internal sealed class NodeDockerService(NodeConnector connector)
{
    public async Task<NodeDocker> ProbeAsync(ClusterNode node, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A node without access data is a configuration problem, not a state of its engine: the caller reports it as an error.
        var endpoint = await connector.EndpointAsync(node, cancellationToken).ConfigureAwait(false);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var shell = await connector.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
            EngineClient engine;
            try
            {
                engine = await EngineClient.OpenAsync(shell, timeout, deadline.Token).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Error == ClusterErrors.EngineNotAnswering || e.Error == ClusterErrors.EngineResponseTimeout)
            {
                return Failed(node, NodeDockerState.Stopped, endpoint, e.Message);
            }

            using (engine)
            {
                var info = await engine.InfoAsync(deadline.Token).ConfigureAwait(false);
                return new NodeDocker
                {
                    Node = node.Name,
                    State = NodeDockerState.Running,
                    Version = engine.ServerVersion.Version,
                    ApiVersion = engine.ApiVersion.ToString(),
                    Containerd = engine.ComponentVersion("containerd"),
                    ContainerdBuild = engine.ComponentBuild("containerd"),
                    Runc = engine.ComponentVersion("runc"),
                    Os = info.OperatingSystem,
                    Kernel = info.KernelVersion,
                    StorageDriver = info.Driver,
                    CgroupDriver = info.CgroupDriver,
                    PodRuntime = node.ContainerRuntime,
                    Endpoint = EngineClient.Endpoint(endpoint.Ssh),
                };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(node, NodeDockerState.Timeout, endpoint, $"No answer within {timeout}.");
        }
        catch (ClusterException e)
        {
            return Failed(node, e.Kind == ClusterErrorKind.Timeout ? NodeDockerState.Timeout : NodeDockerState.Unreachable, endpoint, e.Message);
        }
    }

    private static NodeDocker Failed(ClusterNode node, NodeDockerState state, NodeEndpoint endpoint, string error) => new()
    {
        Node = node.Name,
        State = state,
        PodRuntime = node.ContainerRuntime,
        Endpoint = EngineClient.Endpoint(endpoint.Ssh),
        Error = error,
    };
}
