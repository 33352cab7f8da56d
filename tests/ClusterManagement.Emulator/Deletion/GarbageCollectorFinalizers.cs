namespace ClusterManagement.Emulator.Deletion;

/// <summary>The finalizers a DELETE with propagationPolicy Foreground or Orphan puts on the owner (metav1.FinalizerDeleteDependents, FinalizerOrphanDependents).</summary>
public static class GarbageCollectorFinalizers
{
    public const string Foreground = "foregroundDeletion";
    public const string Orphan = "orphan";
}
