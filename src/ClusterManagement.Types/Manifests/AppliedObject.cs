using ClusterManagement.Connection;

namespace ClusterManagement.Manifests;

/// <summary>What server-side apply did to an object.</summary>
// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum ManifestAction : long
{
    Created,
    Configured,
    Unchanged,
}

/// <summary>One object Publish-ClusterManifest applied, and what the apply did to it.</summary>
public sealed class AppliedObject : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string Kind { get; init; }
    public required string Name { get; init; }

    /// <summary>Null for cluster-scoped kinds.</summary>
    public string? Namespace { get; init; }

    public required string ApiVersion { get; init; }
    public required ManifestAction Action { get; init; }

    /// <summary>The file the object came from.</summary>
    public required string Source { get; init; }

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
