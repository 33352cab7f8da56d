using System.Threading.Channels;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// The idle step of a work-queue controller: sleep until a watch event arrives or the earliest
/// requeue falls due, on the emulator's clock (tests move it), never busy-waiting.
/// </summary>
public static class ControllerWake
{
    public static async Task WaitAsync<TKey>(ChannelReader<WatchEvent> events, PriorityQueue<TKey, DateTimeOffset> requeues, TimeProvider time, CancellationToken cancellationToken)
    {
        if (events.TryPeek(out _))
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = requeues.TryPeek(out _, out var next) ? next - time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (delay != Timeout.InfiniteTimeSpan && delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        var timer = Task.Delay(delay, time, wake.Token);
        await Task.WhenAny(events.WaitToReadAsync(wake.Token).AsTask(), timer).ConfigureAwait(false);
        await wake.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
