using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Deletion;

/// <summary>
/// A namespace being deleted, as the namespace registry and controller show it: phase Terminating,
/// spec.finalizers ["kubernetes"] until its content is gone, and the deletion conditions with the
/// real reasons and messages.
/// </summary>
public static class NamespaceTermination
{
    public const string Finalizer = "kubernetes";

    public static JsonObject Begin(JsonObject ns, DateTimeOffset now)
    {
        var meta = ns.Metadata();
        meta["deletionTimestamp"] = Timestamps.Format(now);
        meta["deletionGracePeriodSeconds"] = 0;
        var spec = ns.ObjectAt("spec");
        spec["finalizers"] ??= new JsonArray(Finalizer);
        ns.ObjectAt("status")["phase"] = "Terminating";
        return ns;
    }

    public static bool IsTerminating(JsonObject? ns) => ns?.At("metadata", "deletionTimestamp") is not null;

    /// <summary>The conditions namespacedResourcesDeleter writes; <paramref name="remaining"/> counts what is left per resource.</summary>
    public static void SetConditions(JsonObject ns, IReadOnlyDictionary<string, int> remaining, DateTimeOffset now)
    {
        var at = Timestamps.Format(now);
        JsonObject Condition(string type, bool status, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = status ? "True" : "False",
            ["lastTransitionTime"] = ns.Condition(type) is { } previous && previous.StringAt("status") == (status ? "True" : "False")
                ? previous.StringAt("lastTransitionTime")
                : at,
            ["reason"] = reason,
            ["message"] = message,
        };
        var left = remaining.Where(r => r.Value > 0).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        ns.ObjectAt("status")["conditions"] = new JsonArray(
            Condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered"),
            Condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
            Condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            left.Count > 0
                ? Condition("NamespaceContentRemaining", true, "SomeResourcesRemain",
                    "Some resources are remaining: " + string.Join(", ", left.Select(r => $"{r.Key} has {r.Value} resource instances")))
                : Condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed"),
            Condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished"));
    }
}
