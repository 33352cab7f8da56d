using System.Globalization;

namespace ClusterManagement.Emulator.Kubelet;

/// <summary>Go's time.Duration.String() as kubelet messages print durations: 200ms, 1.5s, 1m20s, 5m0s.</summary>
public static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return Number(duration.TotalMilliseconds) + "ms";
        }
        var hours = (long)duration.TotalHours;
        var minutes = duration.Minutes;
        var seconds = Number(duration.TotalSeconds - (hours * 3600) - (minutes * 60)) + "s";
        return hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds;
    }

    private static string Number(double value) =>
        Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
