using System.Threading.Channels;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// The loop of a work-queue controller: every event of the watched kinds (the existing objects first, as
/// Added) is routed to the keys it makes dirty, each dirty key is synced once per pass however many events
/// named it, and a sync's answer (when to look again) becomes a timer on the emulator's clock. With a
/// clock check the loop also wakes that often, for syncs that depend on a clock a test may move.
/// </summary>
public sealed class WorkQueue<TKey>(EmulatorContext context) where TKey : notnull
{
    private readonly HashSet<TKey> _dirty = [];

    public void Add(TKey key) => _dirty.Add(key);

    public async Task RunAsync(IReadOnlyList<ResourceKind> kinds, Action<WatchEvent> route, Func<TKey, DateTimeOffset?> sync, TimeSpan? clockCheck, CancellationToken cancellationToken)
    {
        var store = context.Store;
        var timers = new PriorityQueue<(TKey? Key, bool Tick), DateTimeOffset>();
        var nextTick = DateTimeOffset.MinValue;
        var merged = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var subscriptions = kinds.Select(k => store.Watch(k)).ToList();
        try
        {
            var forwarders = subscriptions.Select(s => ForwardAsync(s, merged.Writer, cancellationToken)).ToList();
            foreach (var kind in kinds)
            {
                foreach (var stored in store.List(kind).Items)
                {
                    route(new WatchEvent(WatchEventType.Added, stored, null));
                }
            }
            while (true)
            {
                foreach (var key in _dirty.ToList())
                {
                    _dirty.Remove(key);
                    if (sync(key) is { } due)
                    {
                        timers.Enqueue((key, false), due);
                    }
                }
                if (clockCheck is { } every && nextTick <= context.Time.GetUtcNow())
                {
                    nextTick = context.Time.GetUtcNow() + every;
                    timers.Enqueue((default, true), nextTick);
                }
                await ControllerWake.WaitAsync(merged.Reader, timers, context.Time, cancellationToken);
                while (merged.Reader.TryRead(out var e))
                {
                    route(e);
                }
                var now = context.Time.GetUtcNow();
                while (timers.TryPeek(out var timer, out var at) && at <= now)
                {
                    timers.Dequeue();
                    if (!timer.Tick)
                    {
                        _dirty.Add(timer.Key!);
                    }
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
    }

    private static async Task ForwardAsync(WatchSubscription subscription, ChannelWriter<WatchEvent> writer, CancellationToken cancellationToken)
    {
        await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken))
        {
            await writer.WriteAsync(e, cancellationToken);
        }
    }
}
