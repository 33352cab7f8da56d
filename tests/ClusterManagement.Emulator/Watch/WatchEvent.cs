using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Watch;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// A committed change. For DELETED, <see cref="Object"/> is the last state with the deletion's
/// resourceVersion. <see cref="Previous"/> lets filtered watches turn "stopped matching" into DELETED.
/// </summary>
public sealed record WatchEvent(WatchEventType Type, StoredObject Object, StoredObject? Previous)
{
    public string WireType => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
