using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>meta/v1 DeleteOptions, from the body (kubectl, the C# client) or the query string.</summary>
public sealed record DeleteOptions(long? GracePeriodSeconds, string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion)
{
    public static DeleteOptions Default { get; } = new(null, null, null, null);

    public static DeleteOptions From(ApiRequest request)
    {
        var body = request.Body.Length > 0 ? ApiRequest.ParseJson(request.Body) as JsonObject : null;
        return From(body, request.Query("gracePeriodSeconds"), request.Query("propagationPolicy"));
    }

    public static DeleteOptions From(JsonObject? body, string? gracePeriodQuery = null, string? propagationQuery = null)
    {
        var grace = body.LongAt("gracePeriodSeconds") ?? (long.TryParse(gracePeriodQuery, out var g) ? g : null);
        return new DeleteOptions(
            grace,
            body.StringAt("propagationPolicy") ?? propagationQuery,
            body.StringAt("preconditions", "uid"),
            body.StringAt("preconditions", "resourceVersion"));
    }
}
