using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;
using ClusterManagement.Emulator.Watch;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Events;

/// <summary>
/// events.k8s.io/v1 Events as the apiserver serves them: the stored core/v1 Events, converted on the way out, so
/// an event recorded through either API is one object in both (same name, uid and resourceVersion). get, list
/// (paged, with selectors) and watch; the emulator's components record through core/v1, so writes here are refused.
/// </summary>
public sealed class EventsV1View : IVersionView
{
    private static readonly ConvertedKind FromCore = new(CoreKinds.Events, EventConversion.ToEventsV1);

    public async Task<ApiResult?> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        switch (request.Verb)
        {
            case "get":
                var stored = request.Services.Store.Find(CoreKinds.Events, request.Namespace, request.Name!) ?? throw Status.NotFound(request.Kind, request.Name!);
                if (ReadOperations.TableRequestOf(request) is { } table)
                {
                    var metadata = new JsonObject { ["resourceVersion"] = stored.ResourceVersion.ToString() };
                    return new ApiResult(200, TableWriter.Build(request.Kind, [stored.ToJson()], table, metadata, request.Services.Time.GetUtcNow()));
                }
                return new ApiResult(200, JsonNode.Parse(EventConversion.ToEventsV1(stored))!);
            case "list":
                return ReadOperations.List(request, FromCore);
            case "watch":
                await WatchStreamer.StreamAsync(request, protobuf: false, cancellationToken, FromCore);
                return null;
            default:
                throw Status.MethodNotAllowed();
        }
    }
}
