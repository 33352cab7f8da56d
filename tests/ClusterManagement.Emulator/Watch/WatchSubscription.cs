using System.Threading.Channels;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Watch;

/// <summary>
/// A live feed of one kind's committed changes, in resourceVersion order. Unbounded on purpose:
/// the writer runs under the store lock and must never wait on a slow reader.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(ResourceKind kind, Action<WatchSubscription> unsubscribe, bool forClient)
    {
        Kind = kind;
        _unsubscribe = unsubscribe;
        ForClient = forClient;
    }

    public ResourceKind Kind { get; }

    /// <summary>Serves an API client's watch request rather than a controller inside the emulator.</summary>
    public bool ForClient { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>Set when the feed was ended by <see cref="End"/> with a dropped connection rather than a clean close.</summary>
    public bool ConnectionDropped { get; private set; }

    internal void Publish(WatchEvent e) => _channel.Writer.TryWrite(e);

    /// <summary>Ends the feed from the server's side; the reader sees the end after the events already queued.</summary>
    internal void End(bool dropConnection)
    {
        ConnectionDropped = dropConnection;
        _channel.Writer.TryComplete();
    }

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
