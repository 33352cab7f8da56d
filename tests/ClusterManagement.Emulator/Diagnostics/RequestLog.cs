namespace ClusterManagement.Emulator.Diagnostics;

/// <summary>A request as a test asserts on it. <see cref="Body"/> is kept for writes only.</summary>
public sealed record RequestRecord(long Sequence, DateTimeOffset Time, string Method, string Path, string? ContentType, string? Body, int Status, string? User);

/// <summary>The most recent API requests (control API calls excluded), so tests can check what a client sent.</summary>
public sealed class RequestLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<RequestRecord> _records = new();
    private long _sequence;

    public IReadOnlyList<RequestRecord> All => Since(0);

    /// <summary>Records with a sequence number above <paramref name="sequence"/>: remember <see cref="LastSequence"/>, act, then read.</summary>
    public IReadOnlyList<RequestRecord> Since(long sequence)
    {
        lock (_gate)
        {
            return [.. _records.Where(r => r.Sequence > sequence)];
        }
    }

    public long LastSequence
    {
        get { lock (_gate) { return _sequence; } }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
        }
    }

    internal void Add(DateTimeOffset time, string method, string path, string? contentType, string? body, int status, string? user)
    {
        lock (_gate)
        {
            _records.Enqueue(new RequestRecord(++_sequence, time, method, path, contentType, body, status, user));
            while (_records.Count > capacity)
            {
                _records.Dequeue();
            }
        }
    }
}
