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

    internal WatchSubscription(ResourceKind kind, Action<WatchSubscription> unsubscribe)
    {
        Kind = kind;
        _unsubscribe = unsubscribe;
    }

    public ResourceKind Kind { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    internal void Publish(WatchEvent e) => _channel.Writer.TryWrite(e);

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
