using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Store;

/// <summary>
/// The emulator's etcd: generic JSON objects per kind, one global resourceVersion counter, and a
/// watch history. It owns storage semantics (uid, resourceVersion, generation, optimistic
/// concurrency, finalizer-complete deletion) and nothing about HTTP, admission or authorization:
/// controllers, seeders and tests write here directly, like a system component writing etcd.
/// </summary>
public sealed class ObjectStore
{
    private static readonly HashSet<string> NonSpecFields = ["metadata", "status", "kind", "apiVersion"];

    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceKind, Dictionary<string, StoredObject>> _objects = [];
    private readonly Dictionary<ResourceKind, List<WatchSubscription>> _subscribers = [];
    private readonly EventHistory _history;
    private readonly TimeProvider _time;
    private readonly AsyncLocal<bool> _dryRun = new();
    private long _resourceVersion;
    private int _expiredWatches;

    public ObjectStore(int historyCapacity = 10_000, TimeProvider? time = null)
    {
        _history = new EventHistory(historyCapacity);
        _time = time ?? TimeProvider.System;
    }

    public long ResourceVersion
    {
        get { lock (_gate) { return _resourceVersion; } }
    }

    /// <summary>
    /// dryRun=All for everything the calling flow writes until the scope ends: each write is checked and
    /// answered as usual (uid, generation, the current resourceVersion of an existing object, none for a
    /// new one, as the apiserver's DryRunnableStorage answers) but nothing is stored, no resourceVersion
    /// is used up and no watcher (client or controller) sees an event.
    /// </summary>
    public IDisposable BeginDryRun()
    {
        _dryRun.Value = true;
        return new DryRunScope(_dryRun);
    }

    private sealed class DryRunScope(AsyncLocal<bool> flag) : IDisposable
    {
        public void Dispose() => flag.Value = false;
    }

    public StoredObject? Find(ResourceKind kind, string? ns, string name)
    {
        lock (_gate)
        {
            return Bucket(kind).GetValueOrDefault(StoredObject.KeyOf(Scope(kind, ns), name));
        }
    }

    public JsonObject? Get(ResourceKind kind, string? ns, string name) => Find(kind, ns, name)?.ToJson();

    /// <summary>All objects of a kind (in one namespace, or everywhere when <paramref name="ns"/> is null).</summary>
    public ListSnapshot List(ResourceKind kind, string? ns = null)
    {
        StoredObject[] items;
        long rv;
        lock (_gate)
        {
            var bucket = Bucket(kind);
            items = ns is null ? [.. bucket.Values] : [.. bucket.Values.Where(o => o.Namespace == ns)];
            rv = _resourceVersion;
        }
        Array.Sort(items, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new ListSnapshot(items, rv);
    }

    /// <summary>
    /// The objects of a kind as they were at <paramref name="resourceVersion"/>, as etcd reads a past
    /// revision for a list's later pages: rebuilt from the current state by undoing the newer events.
    /// Null once the history no longer reaches back that far (compacted), which the API answers with 410.
    /// </summary>
    public ListSnapshot? ListAt(ResourceKind kind, string? ns, long resourceVersion)
    {
        Dictionary<string, StoredObject> state;
        lock (_gate)
        {
            if (!_history.Covers(resourceVersion) || resourceVersion > _resourceVersion)
            {
                return null;
            }
            state = new Dictionary<string, StoredObject>(Bucket(kind), StringComparer.Ordinal);
            foreach (var e in _history.After(resourceVersion).Where(e => e.Object.Kind == kind).Reverse())
            {
                if (e.Previous is { } previous)
                {
                    state[previous.Key] = previous;
                }
                else
                {
                    state.Remove(e.Object.Key);
                }
            }
        }
        StoredObject[] items = [.. state.Values.Where(o => ns is null || o.Namespace == ns)];
        Array.Sort(items, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new ListSnapshot(items, resourceVersion);
    }

    /// <summary>Stores a new object; fills uid, creationTimestamp (unless the caller set one), generation and resourceVersion.</summary>
    public JsonObject Create(ResourceKind kind, JsonObject obj)
    {
        var meta = obj.Metadata();
        var name = obj.Name();
        var ns = Scope(kind, obj.Namespace());
        lock (_gate)
        {
            var bucket = Bucket(kind);
            if (bucket.ContainsKey(StoredObject.KeyOf(ns, name)))
            {
                throw Status.AlreadyExists(kind, name);
            }
            meta["uid"] = meta.StringAt("uid") ?? Guid.NewGuid().ToString();
            meta["creationTimestamp"] = meta.StringAt("creationTimestamp") ?? Timestamps.Format(_time.GetUtcNow());
            if (kind.HasGeneration)
            {
                meta["generation"] = 1;
            }
            Commit(kind, obj, WatchEventType.Added);
            return obj;
        }
    }

    /// <summary>
    /// Replaces an object. When the incoming object carries metadata.resourceVersion it must be the
    /// current one (optimistic concurrency, 409 otherwise); without it the update is unconditional.
    /// </summary>
    public JsonObject Update(ResourceKind kind, JsonObject obj)
    {
        var name = obj.Name();
        var ns = Scope(kind, obj.Namespace());
        lock (_gate)
        {
            var current = Bucket(kind).GetValueOrDefault(StoredObject.KeyOf(ns, name)) ?? throw Status.NotFound(kind, name);
            var expected = obj.StringAt("metadata", "resourceVersion");
            if (expected is not null && expected != current.ResourceVersion.ToString())
            {
                throw Status.Conflict(kind, name);
            }
            return Replace(kind, current, obj);
        }
    }

    /// <summary>
    /// Atomic read-modify-write for controllers: <paramref name="change"/> edits the current object
    /// under the store lock and returns false to skip the write. Must not call back into the store.
    /// </summary>
    public JsonObject Mutate(ResourceKind kind, string? ns, string name, Func<JsonObject, bool> change)
    {
        lock (_gate)
        {
            var current = Bucket(kind).GetValueOrDefault(StoredObject.KeyOf(Scope(kind, ns), name)) ?? throw Status.NotFound(kind, name);
            var obj = current.ToJson();
            return change(obj) ? Replace(kind, current, obj) : obj;
        }
    }

    /// <summary>Removes an object now (graceful deletion is the API layer's business); returns its final state.</summary>
    public JsonObject Delete(ResourceKind kind, string? ns, string name, string? expectedUid = null)
    {
        lock (_gate)
        {
            var current = Bucket(kind).GetValueOrDefault(StoredObject.KeyOf(Scope(kind, ns), name)) ?? throw Status.NotFound(kind, name);
            if (expectedUid is not null && expectedUid != current.Uid)
            {
                throw Status.UidConflict(kind, name, expectedUid, current.Uid);
            }
            var obj = current.ToJson();
            Commit(kind, obj, WatchEventType.Deleted);
            return obj;
        }
    }

    /// <summary>
    /// Subscribes to a kind. With <paramref name="sinceResourceVersion"/> the events after it are
    /// replayed first (410 Expired when the history no longer holds them); without, only new ones.
    /// </summary>
    /// <param name="forClient">A watch an API client opened: <see cref="Compact"/> and <see cref="DisconnectWatches"/>
    /// end those, never the controllers' own feeds (the controllers stand for components that survive a restart).</param>
    public WatchSubscription Watch(ResourceKind kind, long? sinceResourceVersion = null, bool forClient = false)
    {
        lock (_gate)
        {
            if (sinceResourceVersion is { } since && !_history.Covers(since))
            {
                _expiredWatches++;
                throw Status.Gone($"too old resource version: {since} ({_history.DroppedThrough + 1})");
            }
            var subscription = new WatchSubscription(kind, Unsubscribe, forClient);
            if (sinceResourceVersion is { } from)
            {
                foreach (var e in _history.After(from).Where(e => e.Object.Kind == kind))
                {
                    subscription.Publish(e);
                }
            }
            if (!_subscribers.TryGetValue(kind, out var list))
            {
                _subscribers[kind] = list = [];
            }
            list.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Watches refused with 410 Expired so far: proof for a test that a client really met an expired resourceVersion.</summary>
    public int ExpiredWatches
    {
        get { lock (_gate) { return _expiredWatches; } }
    }

    /// <summary>
    /// Forgets the history up to now, as etcd's compaction does, and ends every open watch as an API
    /// server that reinitializes its watch cache does: a client that resumes from a resourceVersion it
    /// saw before gets 410 Expired and must list again. Returns the watches ended.
    /// </summary>
    public int Compact()
    {
        lock (_gate)
        {
            _history.CompactThrough(_resourceVersion);
            return EndWatches(dropConnections: false);
        }
    }

    /// <summary>Drops the connection of every open watch, as a crashing API server does; clients resume from their last resourceVersion.</summary>
    public int DisconnectWatches()
    {
        lock (_gate)
        {
            return EndWatches(dropConnections: true);
        }
    }

    private int EndWatches(bool dropConnections)
    {
        var open = _subscribers.Values.SelectMany(list => list).Where(s => s.ForClient).ToList();
        foreach (var subscription in open)
        {
            subscription.End(dropConnections);
        }
        return open.Count;
    }

    private JsonObject Replace(ResourceKind kind, StoredObject current, JsonObject next)
    {
        var old = current.ToJson();
        var meta = next.Metadata();
        meta["uid"] = current.Uid;
        meta["creationTimestamp"] = old.StringAt("metadata", "creationTimestamp");
        if (kind.HasGeneration)
        {
            var generation = old.LongAt("metadata", "generation") ?? 1;
            meta["generation"] = SpecEquals(old, next) ? generation : generation + 1;
        }
        else
        {
            meta.Remove("generation");
        }
        // A namespace also waits for its spec.finalizers (the namespace controller's "kubernetes").
        var finalized = meta["deletionTimestamp"] is not null
            && next.At("metadata", "finalizers") is not JsonArray { Count: > 0 }
            && next.At("spec", "finalizers") is not JsonArray { Count: > 0 }
            && (next.LongAt("metadata", "deletionGracePeriodSeconds") ?? 0) == 0;
        Commit(kind, next, finalized ? WatchEventType.Deleted : WatchEventType.Modified);
        return next;
    }

    private void Commit(ResourceKind kind, JsonObject obj, WatchEventType type)
    {
        obj["apiVersion"] = kind.GroupVersion;
        obj["kind"] = kind.Kind;
        var meta = obj.Metadata();
        if (_dryRun.Value)
        {
            if (Bucket(kind).GetValueOrDefault(StoredObject.KeyOf(Scope(kind, obj.Namespace()), obj.Name())) is { } existing)
            {
                meta["resourceVersion"] = existing.ResourceVersion.ToString();
            }
            else
            {
                meta.Remove("resourceVersion");
            }
            return;
        }
        var rv = ++_resourceVersion;
        meta["resourceVersion"] = rv.ToString();
        var ns = Scope(kind, obj.Namespace());
        var owners = obj.ObjectsAt("metadata", "ownerReferences").Select(o => o.StringAt("uid")).OfType<string>().ToArray();
        var stored = new StoredObject(kind, ns, obj.Name(), meta.StringAt("uid")!, rv, JsonSerializer.SerializeToUtf8Bytes(obj, JsonEncoding.Serializer), owners);
        var bucket = Bucket(kind);
        var previous = bucket.GetValueOrDefault(stored.Key);
        if (type == WatchEventType.Deleted)
        {
            bucket.Remove(stored.Key);
        }
        else
        {
            bucket[stored.Key] = stored;
        }
        var e = new WatchEvent(type, stored, previous);
        _history.Add(e);
        if (_subscribers.TryGetValue(kind, out var subscribers))
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Publish(e);
            }
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(subscription.Kind, out var list))
            {
                list.Remove(subscription);
            }
        }
    }

    private Dictionary<string, StoredObject> Bucket(ResourceKind kind)
    {
        if (!_objects.TryGetValue(kind, out var bucket))
        {
            _objects[kind] = bucket = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        }
        return bucket;
    }

    private static string? Scope(ResourceKind kind, string? ns) => kind.Namespaced ? ns ?? "" : null;

    private static bool SpecEquals(JsonObject a, JsonObject b)
    {
        var keys = a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Where(k => !NonSpecFields.Contains(k)).Distinct();
        return keys.All(k => JsonNode.DeepEquals(a[k], b[k]));
    }
}
