using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// POST pods/{name}/eviction: deletes the pod with the Eviction's deleteOptions and answers 201
/// Status Success. Disruption-budget checks belong in an admission plugin on the "eviction"
/// subresource (Create), which runs before this handler.
/// </summary>
public sealed class PodEvictionHandler : ISubresourceHandler
{
    public async Task<ApiResult> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var eviction = request.ReadObject();
        var options = DeleteOptions.From(eviction["deleteOptions"] as JsonObject);
        await request.Services.Deleter.DeleteAsync(CoreKinds.Pods, request.Namespace, request.Name!, options, request.User, cancellationToken);
        return new ApiResult(201, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        });
    }
}
