namespace ClusterManagement.Emulator.Faults;

/// <summary>
/// One injected failure. Matches requests by method and path glob (<c>*</c> any run of characters,
/// <c>?</c> one; the query string is not part of the path). Latency is added first; then the request
/// is held without an answer (<see cref="Hang"/>), aborted, answered with <see cref="StatusCode"/> and a proper
/// Status body, or (none set) served normally.
/// </summary>
public sealed record FaultRule
{
    /// <summary>HTTP method, or "*" for any.</summary>
    public string Method { get; init; } = "*";

    public required string Path { get; init; }

    public int? StatusCode { get; init; }

    /// <summary>Status message; a generic one for the code when omitted.</summary>
    public string? Message { get; init; }

    /// <summary>How many matching requests the rule affects; null = until cleared.</summary>
    public int? Times { get; init; }

    public int LatencyMilliseconds { get; init; }

    /// <summary>How long the rule applies after it is added; null = until its uses are spent or it is cleared.</summary>
    public int? DurationMilliseconds { get; init; }

    /// <summary>Drop the connection without an answer (HttpContext.Abort), as a crashing server or proxy would.</summary>
    public bool Abort { get; init; }

    /// <summary>
    /// Accept the request and never answer, as a wedged server or a black-holing proxy does: the request is
    /// held until the client gives up or the emulator stops, then the connection is dropped.
    /// </summary>
    public bool Hang { get; init; }
}
