using ClusterManagement.Diagnostics;
using ClusterManagement.Events;

namespace ClusterManagement.Engine.Common;

/// <summary>
/// How a wait that failed gets its <see cref="Diagnosis"/>: read within a bound of its own, never in place
/// of the failure it explains; <see cref="ClusterException.Message"/> writes its cause under the failure.
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

    /// <summary>The failure with the diagnosis attached (its message then ends with the cause); the failure itself when there is none.</summary>
    public static ClusterException Attach(ClusterException failure, Diagnosis? diagnosis) =>
        diagnosis is null
            ? failure
            : new ClusterException(failure.Error, failure.Message, failure.Target, failure.InnerException)
            {
                StatusCode = failure.StatusCode,
                ServerMessage = failure.ServerMessage,
                Diagnosis = diagnosis,
            };

    /// <summary>An event as evidence, in the reporter's words.</summary>
    public static DiagnosisEvidence FromEvent(ClusterEvent e) =>
        new("Event", e.Object, e.Reason, e.Message ?? "", e.Count, new DateTimeOffset(DateTime.SpecifyKind(e.LastSeen, DateTimeKind.Utc)));
}
