using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Store;

/// <summary>
/// Everything the emulator knows about one resource: how discovery lists it, how URLs name it,
/// how field selectors read it and how server-side tables print it. The store is generic JSON,
/// so a new kind needs nothing but one of these.
/// </summary>
public sealed record ResourceKind
{
    public static readonly IReadOnlyList<string> StandardVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Empty for the core ("legacy") group served under /api.</summary>
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Discovery categories; "all" puts the kind in <c>kubectl get all</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;
    public IReadOnlyList<Subresource> Subresources { get; init; } = [];
    public ITableConverter Table { get; init; } = GenericTable.Instance;

    /// <summary>Field selector paths beyond metadata.name and metadata.namespace, as the real registry strategies allow.</summary>
    public IReadOnlyDictionary<string, Func<JsonObject, string>> SelectableFields { get; init; } =
        new Dictionary<string, Func<JsonObject, string>>();

    /// <summary>
    /// Whether the registry strategy keeps metadata.generation (starts at 1, grows on spec changes):
    /// workload and policy kinds do, while Nodes, Pods (1.32), Namespaces, ConfigMaps, Secrets,
    /// Services, Events, storage, RBAC, Lease and CSR objects have none.
    /// </summary>
    public bool HasGeneration { get; init; } = true;

    /// <summary>Seconds a DELETE without gracePeriodSeconds leaves the object terminating (pods: spec.terminationGracePeriodSeconds).</summary>
    public Func<JsonObject, long> DefaultGracePeriodSeconds { get; init; } = _ => 0;

    /// <summary>How metadata.name is validated on create.</summary>
    public NameRule NameRule { get; init; } = NameRule.Dns1123Subdomain;

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name error messages use: <c>nodes</c>, <c>deployments.apps</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool HasStatusSubresource => Subresources.Any(s => s.Name == "status");

    public Subresource? FindSubresource(string name) => Subresources.FirstOrDefault(s => s.Name == name);

    public override string ToString() => QualifiedResource;
}
