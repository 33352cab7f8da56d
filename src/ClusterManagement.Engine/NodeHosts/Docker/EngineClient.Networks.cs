using System.Net;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>The engine's network endpoints; the engine's refusals keep their meaning (not found, conflict) instead of all reading as "not answering".</summary>
internal sealed partial class EngineClient
{
    /// <summary>Every network, inspected one by one: the list endpoint leaves out the attached containers.</summary>
    public async Task<IReadOnlyList<NetworkResponse>> ListNetworksAsync(CancellationToken cancellationToken)
    {
        var listed = await NetworkCall(() => client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken), "list networks", null).ConfigureAwait(false);
        var networks = new List<NetworkResponse>(listed.Count);
        foreach (var network in listed)
        {
            try
            {
                networks.Add(await NetworkCall(() => client.Networks.InspectNetworkAsync(network.ID, cancellationToken), "inspect the network", network.Name).ConfigureAwait(false));
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                // Removed between the list and the inspect: it is gone, so it is not listed.
            }
        }

        return networks;
    }

    public Task<NetworkResponse> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken) =>
        NetworkCall(() => client.Networks.InspectNetworkAsync(idOrName, cancellationToken), "inspect the network", idOrName);

    public async Task<string> CreateNetworkAsync(NetworksCreateParameters parameters, CancellationToken cancellationToken) =>
        (await NetworkCall(() => client.Networks.CreateNetworkAsync(parameters, cancellationToken), "create the network", parameters.Name).ConfigureAwait(false)).ID;

    public Task DisconnectAsync(string network, string container, CancellationToken cancellationToken) =>
        NetworkCall(
            async () =>
            {
                await client.Networks.DisconnectNetworkAsync(network, new NetworkDisconnectParameters { Container = container, Force = true }, cancellationToken).ConfigureAwait(false);
                return true;
            },
            $"disconnect {container} from the network",
            network);

    public Task DeleteNetworkAsync(string network, CancellationToken cancellationToken) =>
        NetworkCall(
            async () =>
            {
                await client.Networks.DeleteNetworkAsync(network, cancellationToken).ConfigureAwait(false);
                return true;
            },
            "remove the network",
            network);

    private static async Task<T> NetworkCall<T>(Func<Task<T>> call, string what, string? network)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            var error = e.StatusCode switch
            {
                HttpStatusCode.NotFound => ClusterErrors.EngineNetworkNotFound,
                HttpStatusCode.Conflict => ClusterErrors.EngineNetworkConflict,
                HttpStatusCode.Forbidden => ClusterErrors.EngineRefused,
                HttpStatusCode.BadRequest => ClusterErrors.EngineNetworkRejected,
                _ => ClusterErrors.EngineError,
            };
            throw new ClusterException(error, $"The Docker Engine could not {what}{(network is null ? "" : $" {network}")}: {e.ResponseBody?.Trim()}", network, e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException || (e is TaskCanceledException && e.InnerException is TimeoutException))
        {
            throw new ClusterException(ClusterErrors.EngineNotAnswering, $"The Docker Engine does not answer: {e.Message}", network, e);
        }
    }
}
