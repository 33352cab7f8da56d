using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// Which objects of one kind each owner controls (metadata.ownerReferences with controller: true),
/// kept from watch events so a sync never scans a namespace of thousands of pods.
/// </summary>
internal sealed class OwnerIndex
{
    private readonly Dictionary<string, HashSet<(string Namespace, string Name)>> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), string> _ownerOf = [];

    /// <summary>Records the change and returns the controlling owner's kind and name, if any.</summary>
    public (string Kind, string Name)? Apply(WatchEvent e) => Apply(e.Type, e.Object.ToJson());

    public (string Kind, string Name)? Apply(WatchEventType type, JsonObject obj)
    {
        var key = (obj.Namespace() ?? "", obj.Name());
        if (_ownerOf.Remove(key, out var previous) && _byOwner.TryGetValue(previous, out var set))
        {
            set.Remove(key);
            if (set.Count == 0)
            {
                _byOwner.Remove(previous);
            }
        }
        var owner = ControllerOf(obj);
        if (owner is null)
        {
            return null;
        }
        if (type != WatchEventType.Deleted)
        {
            _ownerOf[key] = owner.StringAt("uid")!;
            if (!_byOwner.TryGetValue(owner.StringAt("uid")!, out var owned))
            {
                _byOwner[owner.StringAt("uid")!] = owned = [];
            }
            owned.Add(key);
        }
        return (owner.StringAt("kind") ?? "", owner.StringAt("name") ?? "");
    }

    public IReadOnlyCollection<(string Namespace, string Name)> Owned(string ownerUid) =>
        _byOwner.TryGetValue(ownerUid, out var set) ? [.. set] : [];

    public static JsonObject? ControllerOf(JsonObject obj) =>
        obj.ObjectsAt("metadata", "ownerReferences").FirstOrDefault(o => o.BoolAt("controller") && o.StringAt("uid") is not null);
}
