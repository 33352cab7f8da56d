using ClusterManagement.Common;
namespace ClusterManagement.Engine.Common;

/// <summary>Ages are computed against one clock so tests can pin it.</summary>
internal static class Clock
{
    private static Func<DateTime> utcNow = () => DateTime.UtcNow;

    public static DateTime UtcNow => utcNow();

    internal static IDisposable Pin(DateTime instant)
    {
        var previous = utcNow;
        utcNow = () => instant;
        return new Restore(() => utcNow = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    public static TimeSpan AgeOf(DateTime? created)
    {
        if (created is null)
        {
            return TimeSpan.Zero;
        }

        var age = UtcNow - DateTime.SpecifyKind(created.Value, DateTimeKind.Utc);
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }
}
