using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Store;

/// <summary>
/// One immutable version of an object. Kept as UTF-8 JSON rather than a node tree so that
/// 5,000 nodes cost a few KB each, lists can be written out without re-serializing, and the
/// watch history can share versions with the store.
/// </summary>
public sealed class StoredObject
{
    private readonly byte[] _json;

    internal StoredObject(ResourceKind kind, string? ns, string name, string uid, long resourceVersion, byte[] json, IReadOnlyList<string> ownerUids)
    {
        OwnerUids = ownerUids;
        Kind = kind;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        _json = json;
    }

    public ResourceKind Kind { get; }
    public string? Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }

    /// <summary>metadata.ownerReferences[].uid, indexed so cascading deletion needs no parsing.</summary>
    public IReadOnlyList<string> OwnerUids { get; }

    /// <summary>The etcd-style key, which also gives list order: namespace, then name.</summary>
    public string Key => KeyOf(Namespace, Name);

    public ReadOnlySpan<byte> Utf8Json => _json;

    /// <summary>A fresh mutable copy; callers may change it freely.</summary>
    public JsonObject ToJson() => JsonNode.Parse(_json)!.AsObject();

    internal static string KeyOf(string? ns, string name) => ns is null ? name : $"{ns}/{name}";
}
