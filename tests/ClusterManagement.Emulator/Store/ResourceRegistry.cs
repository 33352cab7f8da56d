using ClusterManagement.Emulator.Api;

namespace ClusterManagement.Emulator.Store;

/// <summary>The kinds the emulator serves, looked up the ways URLs and discovery name them.</summary>
public sealed class ResourceRegistry
{
    private readonly List<ResourceKind> _kinds = [];
    private readonly Dictionary<(ResourceKind, string), ISubresourceHandler> _subresourceHandlers = [];
    private readonly Dictionary<ResourceKind, IVersionView> _versionViews = [];

    public IReadOnlyList<ResourceKind> Kinds => _kinds;

    public void Add(ResourceKind kind)
    {
        if (Find(kind.Group, kind.Version, kind.Plural) is not null)
        {
            throw new InvalidOperationException($"{kind.QualifiedResource}/{kind.Version} is already registered");
        }
        _kinds.Add(kind);
    }

    /// <summary>Serves (or replaces the server of) a subresource the kind declares, e.g. pods/eviction.</summary>
    public void SetSubresourceHandler(ResourceKind kind, string subresource, ISubresourceHandler handler)
    {
        if (kind.FindSubresource(subresource) is null)
        {
            throw new InvalidOperationException($"{kind.QualifiedResource} declares no subresource '{subresource}'");
        }
        _subresourceHandlers[(kind, subresource)] = handler;
    }

    public ISubresourceHandler? SubresourceHandler(ResourceKind kind, string subresource) =>
        _subresourceHandlers.GetValueOrDefault((kind, subresource));

    /// <summary>Serves every verb of <paramref name="kind"/> through a conversion of another version's objects.</summary>
    public void SetVersionView(ResourceKind kind, IVersionView view) => _versionViews[kind] = view;

    public IVersionView? VersionView(ResourceKind kind) => _versionViews.GetValueOrDefault(kind);

    public ResourceKind? Find(string group, string version, string plural) =>
        _kinds.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);

    /// <summary>By plural, singular, short name or <c>plural.group</c>, as tests and the control API name kinds.</summary>
    public ResourceKind Get(string name) =>
        _kinds.FirstOrDefault(k => k.Plural == name || k.QualifiedResource == name || k.Singular == name || k.ShortNames.Contains(name))
        ?? throw new KeyNotFoundException($"no resource kind '{name}' is registered");

    /// <summary>Group versions in registration order, the core group first as the real server lists it.</summary>
    public IEnumerable<(string Group, string Version)> GroupVersions() =>
        _kinds.Select(k => (k.Group, k.Version)).Distinct();
}
