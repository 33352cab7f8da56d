using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Patching;

/// <summary>Picks the patch algorithm by Content-Type, as the apiserver's patch handler does.</summary>
public static class PatchApplier
{
    public const string JsonPatchType = "application/json-patch+json";
    public const string MergePatchType = "application/merge-patch+json";
    public const string StrategicMergePatchType = "application/strategic-merge-patch+json";
    public const string ApplyPatchType = "application/apply-patch+yaml";

    public static JsonObject Apply(JsonObject target, byte[] body, string mediaType, ResourceKind kind)
    {
        var patch = mediaType switch
        {
            JsonPatchType or MergePatchType or StrategicMergePatchType => ApiRequest.ParseJson(body),
            _ => throw Status.UnsupportedMediaType(mediaType, [JsonPatchType, MergePatchType, StrategicMergePatchType]),
        };
        var result = mediaType switch
        {
            JsonPatchType => JsonPatch.Apply(target, patch as JsonArray ?? throw Status.BadRequest("json patch must be a JSON array of operations")),
            MergePatchType => MergePatch.Apply(target, patch),
            _ => StrategicMergePatch.Apply(target, patch as JsonObject ?? throw Status.BadRequest("strategic merge patch must be a JSON object"), kind),
        };
        return result as JsonObject ?? throw Status.BadRequest("the patch must leave a JSON object");
    }
}
