using System.Text.Json.Nodes;

using ClusterManagement.Manifests;

namespace ClusterManagement.Engine.Manifests;

/// <summary>One object of a manifest file, with where it came from (for messages).</summary>
internal sealed record ManifestDocument(JsonObject Object, string Source)
{
    public string ApiVersion => Object["apiVersion"]?.GetValue<string>() ?? "";
    public string Kind => Object["kind"]?.GetValue<string>() ?? "";
    public string Name => Object["metadata"]?["name"]?.GetValue<string>() ?? "";
    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();
}
