using ClusterManagement.Diagnostics;
using ClusterManagement.Events;

namespace ClusterManagement.Engine.Common;

/// <summary>
/// How a wait that failed gets its <see cref="Diagnosis"/>: read within a bound of its own, never in place
/// of the failure it explains, and written under that failure's message. The message composition is here
/// alone, so that the error records' own rendering of a Diagnosis can take its place in one edit.
/// </summary>
internal static class Diagnoses
{
    /// <summary>
    /// How long the reads of one diagnosis may take together: a lost or slow API server must not delay
    /// the failure being reported by more than this.
    /// </summary>
    public static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the reads of a diagnosis; null when they fail or run out of <see cref="ReadBudget"/>, with the
    /// reason on the verbose stream. Only the caller's own cancellation (Ctrl+C) escapes.
    /// </summary>
    public static async Task<Diagnosis?> TryReadAsync(Func<CancellationToken, Task<Diagnosis?>> read, string subject, IOperationLog log, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ReadBudget);
        try
        {
            return await read(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            log.Verbose($"Could not read why {subject} did not get there: {e.Message}");
            return null;
        }
    }

    /// <summary>The failure with the diagnosis attached and summed up under its first line; the failure itself when there is none.</summary>
    public static ClusterException Attach(ClusterException failure, Diagnosis? diagnosis) =>
        diagnosis is null
            ? failure
            : new ClusterException(failure.Error, Compose(failure.Message, diagnosis), failure.Target, failure.InnerException)
            {
                StatusCode = failure.StatusCode,
                ServerMessage = failure.ServerMessage,
                Diagnosis = diagnosis,
            };

    /// <summary>The message, then <c>Cause: &lt;cause&gt;: &lt;summary&gt;</c>, the affected objects and the evidence, one per line.</summary>
    public static string Compose(string message, Diagnosis diagnosis)
    {
        var lines = new List<string> { message, $"Cause: {diagnosis.Cause}: {diagnosis.Summary}" };
        lines.AddRange(diagnosis.Affected.Select(a =>
            $"  {a.Kind} {(a.Namespace is null ? a.Name : $"{a.Namespace}/{a.Name}")}{(a.State is null ? "" : $": {a.State}")}"));
        lines.AddRange(diagnosis.Evidence.Select(e =>
            $"  {e.Source} {e.Reason} ({e.Object}): {e.Message}{(e.Count is > 1 ? $" (x{e.Count})" : "")}"));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>An event as evidence, in the reporter's words.</summary>
    public static DiagnosisEvidence FromEvent(ClusterEvent e) =>
        new("Event", e.Object, e.Reason, e.Message ?? "", e.Count, new DateTimeOffset(DateTime.SpecifyKind(e.LastSeen, DateTimeKind.Utc)));
}
