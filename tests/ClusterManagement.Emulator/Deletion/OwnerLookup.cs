using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Deletion;

/// <summary>What the garbage collector finds when it looks an owner reference up.</summary>
public enum OwnerState
{
    /// <summary>The owner exists with the referenced uid and is not deleting its dependents.</summary>
    Solid,

    /// <summary>No object of that name, or one with another uid: the owner is gone.</summary>
    Dangling,

    /// <summary>The owner exists and is being deleted in the foreground (it waits for its dependents).</summary>
    WaitingForDependents,

    /// <summary>
    /// A kind the server does not serve, or a namespaced owner of a cluster-scoped object: the real
    /// collector's lookup fails, so it neither keeps nor collects the dependent for it.
    /// </summary>
    Unresolvable,
}

/// <summary>
/// The garbage collector's live look-up of an owner (isDangling in
/// pkg/controller/garbagecollector/garbagecollector.go): the owner's kind from its apiVersion and kind,
/// looked up by name in the dependent's namespace when namespaced; the uid decides, not the name.
/// </summary>
public static class OwnerLookup
{
    public static OwnerState Classify(JsonObject reference, string? dependentNamespace, ResourceRegistry registry, ObjectStore store)
    {
        var apiVersion = reference.StringAt("apiVersion") ?? "";
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var kindName = reference.StringAt("kind");
        var kind = registry.Kinds.FirstOrDefault(k => k.Group == group && k.Version == version && k.Kind == kindName);
        if (kind is null || reference.StringAt("name") is not { } name || (kind.Namespaced && dependentNamespace is null))
        {
            return OwnerState.Unresolvable;
        }
        if (store.Find(kind, kind.Namespaced ? dependentNamespace : null, name) is not { } found || found.Uid != reference.StringAt("uid"))
        {
            return OwnerState.Dangling;
        }
        var owner = found.ToJson();
        return owner.At("metadata", "deletionTimestamp") is not null
            && (owner.At("metadata", "finalizers") as JsonArray ?? []).Any(f => f?.GetValue<string>() == GarbageCollectorFinalizers.Foreground)
            ? OwnerState.WaitingForDependents
            : OwnerState.Solid;
    }
}
