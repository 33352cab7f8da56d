using System.Text.Json.Nodes;
using System.Threading.Channels;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Deletion;

/// <summary>
/// kube-controller-manager's garbage collector and namespace controller. It keeps a graph of owners
/// and dependents from every kind's events, so it also acts when an owner goes later than its DELETE
/// (its finalizers cleared). An owner it has not seen is looked up live, as the real collector does
/// for its "virtual" nodes (<see cref="OwnerLookup"/>), so a reference to an owner that never existed,
/// or to one of that name with another uid, counts as gone: dependents whose owners are all gone are
/// deleted, references to a gone owner among live ones are dropped (attemptToDeleteItem in
/// pkg/controller/garbagecollector/garbagecollector.go); an owner deleted in the foreground keeps its
/// foregroundDeletion finalizer until no dependent that blocks owner deletion is left; one deleted
/// with Orphan first has its dependents' references removed. A terminating namespace has its content
/// deleted and goes once none is left.
/// </summary>
public sealed class GarbageCollector(ObjectDeleter deleter) : IEmulatorController
{
    private static readonly EmulatorUser User = new("system:serviceaccount:kube-system:generic-garbage-collector", ["system:serviceaccounts"], AccessLevel.Admin);

    private readonly Dictionary<string, (ResourceKind Kind, string? Namespace, string Name)> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _ownersOf = new(StringComparer.Ordinal);

    public string Name => "garbage-collector";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var merged = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var subscriptions = context.Registry.Kinds.Select(k => store.Watch(k)).ToList();
        var work = new HashSet<string>(StringComparer.Ordinal);
        var terminating = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var forwarders = subscriptions.Select(s => DeploymentController.ForwardAsync(s, merged.Writer, cancellationToken)).ToList();
            foreach (var kind in context.Registry.Kinds)
            {
                foreach (var stored in store.List(kind).Items)
                {
                    Route(new WatchEvent(WatchEventType.Added, stored, null));
                }
            }
            while (true)
            {
                foreach (var uid in work.ToList())
                {
                    work.Remove(uid);
                    await ProcessAsync(uid, context, cancellationToken);
                }
                foreach (var ns in terminating.ToList())
                {
                    if (await ProcessNamespaceAsync(ns, context, cancellationToken))
                    {
                        terminating.Remove(ns);
                    }
                }
                await merged.Reader.WaitToReadAsync(cancellationToken);
                while (merged.Reader.TryRead(out var e))
                {
                    Route(e);
                }
                if (forwarders.FirstOrDefault(f => f.IsFaulted) is { } failed)
                {
                    await failed;
                }
            }
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }

        void Route(WatchEvent e)
        {
            var stored = e.Object;
            if (e.Type == WatchEventType.Deleted)
            {
                Forget(stored.Uid);
                // Its dependents may now be orphans; its owners may be waiting for it (foreground).
                work.UnionWith(_dependents.GetValueOrDefault(stored.Uid) ?? []);
                work.UnionWith(stored.OwnerUids);
                if (stored.Kind == CoreKinds.Namespaces)
                {
                    terminating.Remove(stored.Name);
                }
                return;
            }
            Remember(stored);
            if (stored.Utf8Json.IndexOf("\"deletionTimestamp\""u8) >= 0)
            {
                if (stored.Kind == CoreKinds.Namespaces)
                {
                    terminating.Add(stored.Name);
                }
                else
                {
                    work.Add(stored.Uid);
                }
            }
            else if (stored.OwnerUids.Any(owner => !_objects.ContainsKey(owner)))
            {
                // An owner not in the graph (yet): the real collector adds a virtual node and looks it up.
                work.Add(stored.Uid);
            }
        }
    }

    private void Remember(StoredObject stored)
    {
        Forget(stored.Uid);
        _objects[stored.Uid] = (stored.Kind, stored.Namespace, stored.Name);
        _ownersOf[stored.Uid] = stored.OwnerUids;
        foreach (var owner in stored.OwnerUids)
        {
            if (!_dependents.TryGetValue(owner, out var set))
            {
                _dependents[owner] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(stored.Uid);
        }
    }

    private void Forget(string uid)
    {
        _objects.Remove(uid);
        if (_ownersOf.Remove(uid, out var owners))
        {
            foreach (var owner in owners)
            {
                if (_dependents.TryGetValue(owner, out var set) && set.Remove(uid) && set.Count == 0)
                {
                    _dependents.Remove(owner);
                }
            }
        }
    }

    /// <summary>One object: collect it if all its owners are gone, otherwise finish its own foreground or orphan deletion.</summary>
    private async Task ProcessAsync(string uid, EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        if (!_objects.TryGetValue(uid, out var key) || store.Get(key.Kind, key.Namespace, key.Name) is not { } obj || obj.StringAt("metadata", "uid") != uid)
        {
            return;
        }
        if (obj.At("metadata", "deletionTimestamp") is null)
        {
            await AttemptToDeleteAsync(key.Kind, obj, context, cancellationToken);
            return;
        }
        var finalizers = (obj.At("metadata", "finalizers") as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToList();
        var dependents = (_dependents.GetValueOrDefault(uid) ?? []).Select(d => _objects.GetValueOrDefault(d)).Where(d => d.Kind is not null)
            .Select(d => store.Get(d.Kind, d.Namespace, d.Name)).OfType<JsonObject>().ToList();
        if (finalizers.Contains(GarbageCollectorFinalizers.Orphan))
        {
            foreach (var dependent in dependents)
            {
                Mutate(store, KindOf(dependent), dependent, o => RemoveOwnerReferences(o, new HashSet<string?> { uid }));
            }
            Mutate(store, key.Kind, obj, o => RemoveFinalizer(o, GarbageCollectorFinalizers.Orphan));
        }
        else if (finalizers.Contains(GarbageCollectorFinalizers.Foreground))
        {
            // Each dependent as attemptToDeleteItem sees it: one with another solid owner only loses this reference.
            foreach (var dependent in dependents.Where(d => d.At("metadata", "deletionTimestamp") is null))
            {
                await AttemptToDeleteAsync(KindOf(dependent), dependent, context, cancellationToken);
            }
            // Dependents without a grace period went at once; pods and objects with finalizers block until they are gone.
            var blocking = dependents.Any(d => store.Get(KindOf(d), d.Namespace(), d.Name()) is { } live
                && live.StringAt("metadata", "uid") == d.StringAt("metadata", "uid")
                && live.ObjectsAt("metadata", "ownerReferences").Any(o => o.StringAt("uid") == uid && o.BoolAt("blockOwnerDeletion")));
            if (!blocking)
            {
                Mutate(store, key.Kind, obj, o => RemoveFinalizer(o, GarbageCollectorFinalizers.Foreground));
            }
        }
    }

    /// <summary>
    /// attemptToDeleteItem for an object not being deleted: with a solid owner it keeps living and loses
    /// its references to gone owners and to owners waiting for their dependents; with none it is deleted,
    /// in the foreground when an owner waits for it and it has dependents of its own, or as its own
    /// finalizers ask. An owner that cannot be looked up leaves the object as it is.
    /// </summary>
    private async Task AttemptToDeleteAsync(ResourceKind kind, JsonObject obj, EmulatorContext context, CancellationToken cancellationToken)
    {
        var references = obj.ObjectsAt("metadata", "ownerReferences")
            .Select(r => (Uid: r.StringAt("uid"), State: OwnerLookup.Classify(r, obj.Namespace(), context.Registry, context.Store))).ToList();
        if (references.Count == 0 || references.Any(r => r.State == OwnerState.Unresolvable))
        {
            return;
        }
        var notSolid = references.Where(r => r.State != OwnerState.Solid).Select(r => r.Uid).ToHashSet();
        if (notSolid.Count < references.Count)
        {
            if (notSolid.Count > 0)
            {
                Mutate(context.Store, kind, obj, o => RemoveOwnerReferences(o, notSolid));
            }
            return;
        }
        var finalizers = (obj.At("metadata", "finalizers") as JsonArray ?? []).Select(f => f?.GetValue<string>()).ToList();
        var hasDependents = _dependents.ContainsKey(obj.StringAt("metadata", "uid")!);
        var policy = finalizers.Contains(GarbageCollectorFinalizers.Orphan) ? "Orphan"
            : finalizers.Contains(GarbageCollectorFinalizers.Foreground) || (hasDependents && references.Any(r => r.State == OwnerState.WaitingForDependents)) ? "Foreground"
            : "Background";
        await DeleteAsync(kind, obj, policy, cancellationToken);
    }

    private ResourceKind KindOf(JsonObject obj) => _objects[obj.StringAt("metadata", "uid")!].Kind;

    /// <summary>Deletes what is left in a terminating namespace; once nothing is, removes its "kubernetes" finalizer so it goes. True when done.</summary>
    private async Task<bool> ProcessNamespaceAsync(string ns, EmulatorContext context, CancellationToken cancellationToken)
    {
        var store = context.Store;
        if (!NamespaceTermination.IsTerminating(store.Get(CoreKinds.Namespaces, null, ns)))
        {
            return true;
        }
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kind in context.Registry.Kinds.Where(k => k.Namespaced))
        {
            var items = store.List(kind, ns).Items;
            if (items.Count > 0)
            {
                remaining[kind.QualifiedResource] = items.Count;
            }
            foreach (var stored in items)
            {
                var obj = stored.ToJson();
                if (obj.At("metadata", "deletionTimestamp") is null)
                {
                    await DeleteAsync(kind, obj, "Background", cancellationToken);
                }
            }
        }
        var done = remaining.Count == 0;
        try
        {
            store.Mutate(CoreKinds.Namespaces, null, ns, n =>
            {
                var before = n.At("status", "conditions")?.ToJsonString();
                NamespaceTermination.SetConditions(n, remaining, context.Time.GetUtcNow());
                if (done && n.At("spec", "finalizers") is JsonArray finalizers)
                {
                    finalizers.Remove(finalizers.FirstOrDefault(f => f?.GetValue<string>() == NamespaceTermination.Finalizer));
                    return true;
                }
                return before != n.At("status", "conditions")?.ToJsonString();
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return true;
        }
        return done;
    }

    private async Task DeleteAsync(ResourceKind kind, JsonObject obj, string propagationPolicy, CancellationToken cancellationToken)
    {
        try
        {
            await deleter.DeleteAsync(kind, obj.Namespace(), obj.Name(), DeleteOptions.Default with { PreconditionUid = obj.StringAt("metadata", "uid"), PropagationPolicy = propagationPolicy }, User, cancellationToken);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone or replaced meanwhile: nothing of the owner's is left to collect.
        }
    }

    private static void Mutate(ObjectStore store, ResourceKind kind, JsonObject obj, Func<JsonObject, bool> change)
    {
        try
        {
            store.Mutate(kind, obj.Namespace(), obj.Name(), current => current.StringAt("metadata", "uid") == obj.StringAt("metadata", "uid") && change(current));
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone meanwhile.
        }
    }

    private static bool RemoveOwnerReferences(JsonObject obj, IReadOnlySet<string?> owners)
    {
        if (obj.At("metadata", "ownerReferences") is not JsonArray references)
        {
            return false;
        }
        var kept = references.OfType<JsonObject>().Where(r => !owners.Contains(r.StringAt("uid"))).Select(r => (JsonNode)r.DeepClone()).ToArray();
        if (kept.Length == references.Count)
        {
            return false;
        }
        if (kept.Length == 0)
        {
            obj.Metadata().Remove("ownerReferences");
        }
        else
        {
            obj.Metadata()["ownerReferences"] = new JsonArray(kept);
        }
        return true;
    }

    private static bool RemoveFinalizer(JsonObject obj, string finalizer)
    {
        if (obj.At("metadata", "finalizers") is not JsonArray finalizers || finalizers.FirstOrDefault(f => f?.GetValue<string>() == finalizer) is not { } entry)
        {
            return false;
        }
        finalizers.Remove(entry);
        if (finalizers.Count == 0)
        {
            obj.Metadata().Remove("finalizers");
        }
        return true;
    }
}
