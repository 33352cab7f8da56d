namespace ClusterManagement.Emulator.Store;

/// <summary>
/// A subresource as discovery lists it (<c>pods/eviction</c> of kind Eviction in policy/v1) and
/// the handler that serves it. <c>status</c> needs no handler: the API layer serves it generically.
/// </summary>
public sealed record Subresource(string Name, string Kind, IReadOnlyList<string> Verbs)
{
    /// <summary>Set when the subresource's kind lives in another group (Eviction: policy, Scale: autoscaling).</summary>
    public string? Group { get; init; }
    public string? Version { get; init; }

    public static Subresource Status(string kind) => new("status", kind, ["get", "patch", "update"]);
}
