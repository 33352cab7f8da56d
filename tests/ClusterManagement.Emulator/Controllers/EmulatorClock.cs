namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// The cluster's clock: the machine's, moved by <see cref="EmulatorSettings.ClockOffset"/> (control API
/// <c>clockOffsetSeconds</c>), so a test can let a CronJob's next minute come without waiting for it. Every
/// component reads it, as every component of a cluster whose clock jumps would.
/// </summary>
public sealed class EmulatorClock(EmulatorSettings settings) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + settings.ClockOffset;
}
