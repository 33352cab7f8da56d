namespace ClusterManagement.Emulator.Tests.Infrastructure;

/// <summary>Polls for a state a controller reaches asynchronously, failing with a message after a bounded wait.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<T?> probe, string what, double timeoutSeconds = 10) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"timed out after {timeoutSeconds} s waiting for {what}");
    }

    public static Task IsTrueAsync(Func<bool> probe, string what, double timeoutSeconds = 10) =>
        ReturnsAsync(() => probe() ? "" : null, what, timeoutSeconds);
}
