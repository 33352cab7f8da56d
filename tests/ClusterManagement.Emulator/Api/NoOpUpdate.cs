using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Api;

/// <summary>
/// An update whose result, after defaulting and admission, is the stored object is not written, so
/// its resourceVersion stays: etcd3's GuaranteedUpdate skips identical bytes, and the field manager's
/// IgnoreManagedFieldsTimestampsTransformer first puts back the old managedFields times when nothing
/// else changed. A re-applied manifest whose lists lost server defaults until admission re-added them is such an update.
/// </summary>
public static class NoOpUpdate
{
    public static bool IsNoOp(JsonObject old, JsonObject next) => JsonNode.DeepEquals(Comparable(old), Comparable(next));

    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        var meta = copy.Metadata();
        meta.Remove("resourceVersion");
        foreach (var entry in meta["managedFields"] as JsonArray ?? [])
        {
            (entry as JsonObject)?.Remove("time");
        }
        return copy;
    }
}
