using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// A request failure that the API layer answers with a metav1.Status. Store, admission plugins,
/// subresource handlers and controllers throw it; only the HTTP edge turns it into a response.
/// </summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;

    /// <summary>The Status's own list metadata: a 410 for an expired continue token carries a fresh token there.</summary>
    public JsonObject? ListMeta { get; init; }

    public JsonObject ToStatus()
    {
        var status = Status.Failure(Code, Reason, Message, Details);
        if (ListMeta is not null)
        {
            status["metadata"] = ListMeta.DeepClone();
        }
        return status;
    }
}
