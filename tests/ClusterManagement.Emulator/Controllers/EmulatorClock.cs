namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// The cluster's clock: the machine's, moved by <see cref="EmulatorSettings.ClockOffset"/> (control API
/// <c>clockOffsetSeconds</c>), so a test can let a CronJob's next minute or a container's exit come without
/// waiting for it. Every component reads it, as every component of a cluster whose clock jumps would, and
/// its timers (every controller's <c>Task.Delay</c> on it) keep their due time on this clock: moving it
/// forward fires at once what became due and shortens the rest, so no controller sleeps behind the others.
/// </summary>
public sealed class EmulatorClock : TimeProvider
{
    private readonly EmulatorSettings _settings;
    private readonly HashSet<ClockTimer> _timers = [];

    public EmulatorClock(EmulatorSettings settings)
    {
        _settings = settings;
        settings.ClockMoved += Retime;
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _settings.ClockOffset;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ClockTimer(this, callback, state);
        lock (_timers)
        {
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        return timer;
    }

    private void Retime()
    {
        List<ClockTimer> timers;
        lock (_timers)
        {
            timers = [.. _timers];
        }
        timers.ForEach(t => t.Retime());
    }

    private void Forget(ClockTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>A machine timer that remembers its due time on the cluster's clock.</summary>
    private sealed class ClockTimer : ITimer
    {
        private readonly EmulatorClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _inner;
        private readonly Lock _gate = new();
        private DateTimeOffset? _due;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ClockTimer(EmulatorClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            _inner = System.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + dueTime;
                _period = period;
                return _inner.Change(dueTime, period);
            }
        }

        public void Retime()
        {
            lock (_gate)
            {
                if (_due is { } due)
                {
                    var left = due - _clock.GetUtcNow();
                    _inner.Change(left < TimeSpan.Zero ? TimeSpan.Zero : left, _period);
                }
            }
        }

        private void Fire()
        {
            lock (_gate)
            {
                _due = _period == Timeout.InfiniteTimeSpan ? null : _clock.GetUtcNow() + _period;
            }
            _callback(_state);
        }

        public void Dispose()
        {
            _clock.Forget(this);
            _inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
