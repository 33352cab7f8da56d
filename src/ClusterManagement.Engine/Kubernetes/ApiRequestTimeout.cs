namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// The bound on each API request (kubectl's --request-timeout), chosen per command: connections are
/// cached across commands, so the bound travels with the command's async flow instead of the client.
/// </summary>
internal static class ApiRequestTimeout
{
    /// <summary>kubectl itself has no default bound; a pipeline step that waited 30 s for one answer has waited long enough.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>The longest bound accepted: beyond a day a "bound" no longer protects anyone.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(1);

    private static readonly AsyncLocal<TimeSpan?> Bound = new();

    internal static TimeSpan Current => Bound.Value ?? Default;

    /// <summary>Bounds every API request made on this async flow (a command's work) to <paramref name="timeout"/>.</summary>
    public static IDisposable Apply(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout > Maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"A request timeout is more than zero and at most {Maximum}.");
        }

        var previous = Bound.Value;
        Bound.Value = timeout;
        return new Restore(previous);
    }

    private sealed class Restore(TimeSpan? previous) : IDisposable
    {
        public void Dispose() => Bound.Value = previous;
    }
}
