namespace ClusterManagement.Emulator.Watch;

/// <summary>
/// The ring buffer a watch resumes from, standing in for etcd's compaction window: a watch from a
/// resourceVersion older than what the buffer still holds must get 410 Expired, never a silent gap.
/// Not thread-safe: the store calls it under its write lock.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly WatchEvent[] _events = new WatchEvent[Math.Max(1, capacity)];
    private int _start;
    private int _count;

    /// <summary>The newest resourceVersion that was pushed out of the buffer (0 while nothing was).</summary>
    public long DroppedThrough { get; private set; }

    public void Add(WatchEvent e)
    {
        if (_count == _events.Length)
        {
            DroppedThrough = _events[_start].Object.ResourceVersion;
            _events[_start] = e;
            _start = (_start + 1) % _events.Length;
        }
        else
        {
            _events[(_start + _count) % _events.Length] = e;
            _count++;
        }
    }

    /// <summary>Treats everything up to <paramref name="resourceVersion"/> as gone, as an etcd compaction does.</summary>
    public void CompactThrough(long resourceVersion) => DroppedThrough = Math.Max(DroppedThrough, resourceVersion);

    /// <summary>True when every event after <paramref name="resourceVersion"/> is still held.</summary>
    public bool Covers(long resourceVersion) => resourceVersion >= DroppedThrough;

    public IEnumerable<WatchEvent> After(long resourceVersion)
    {
        for (var i = 0; i < _count; i++)
        {
            var e = _events[(_start + i) % _events.Length];
            if (e.Object.ResourceVersion > resourceVersion)
            {
                yield return e;
            }
        }
    }
}
