using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// Serves one subresource (pods/eviction, deployments/scale). Return the body and status code;
/// throw <see cref="ApiException"/> to answer with a Status.
/// </summary>
public interface ISubresourceHandler
{
    Task<ApiResult> HandleAsync(ApiRequest request, CancellationToken cancellationToken);
}

public sealed record ApiResult(int StatusCode, JsonNode Body);
