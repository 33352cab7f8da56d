namespace ClusterManagement.Emulator.Watch;

/// <summary>
/// The watch responses being served now. A client that was stopped (Ctrl+C) must have closed its
/// watches; tests read this count (also as <c>watches</c> of <c>GET /_emulator/status</c>) to check it.
/// </summary>
public sealed class OpenWatches
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    internal IDisposable Open()
    {
        Interlocked.Increment(ref _count);
        return new Closing(this);
    }

    private sealed class Closing(OpenWatches watches) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                Interlocked.Decrement(ref watches._count);
            }
        }
    }
}
