namespace ClusterManagement.Emulator.Api;

/// <summary>
/// Serves a kind's older API version from the objects of the version it is stored as (as the apiserver
/// converts through its internal type): every verb on the view's URLs reaches this instead of the store. Null: the
/// view wrote the response itself (a streamed list or a watch).
/// </summary>
public interface IVersionView
{
    Task<ApiResult?> HandleAsync(ApiRequest request, CancellationToken cancellationToken);
}
