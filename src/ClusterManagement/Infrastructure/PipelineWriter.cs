using System.Management.Automation;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Lets asynchronous work, on any thread, write to the pipeline. PowerShell only accepts Write*
/// calls on the pipeline thread, so every call is queued and the pipeline thread runs the queue
/// (see <see cref="AsyncCmdlet"/>).
/// </summary>
internal sealed class PipelineWriter(CancellationToken cancellation) : IOperationLog
{
    internal PipelineQueue<AsyncCmdlet> Queue { get; } = new(cancellation);

    public void Object(object? value) => Post(c => c.WriteObject(value));

    public void Error(ErrorRecord record) => Post(c => c.WriteErrorRecord(record));

    public void Verbose(string message) => Post(c => c.WriteVerbose(message));

    public void Warning(string message) => Post(c => c.WriteWarningMessage(message));

    public void Progress(OperationProgress progress) => Post(c => c.WriteProgressRecord(ToRecord(progress)));

    /// <summary>
    /// Opens a collapsible section of an Azure Pipelines log (one node, one rollout) until disposed; nothing
    /// elsewhere. Sections cannot nest, so only the outermost operation of a cmdlet opens one.
    /// </summary>
    public IDisposable Group(string title)
    {
        Post(c => c.Pipelines?.BeginGroup(title));
        return new GroupEnd(this);
    }

    /// <summary>
    /// Call before a value the module generated (a bootstrap token, say) reaches any stream, so that an
    /// Azure Pipelines job masks it in its log from then on.
    /// </summary>
    public void Secret(string value) => Post(c => c.Pipelines?.SetSecret(value));

    /// <summary>
    /// Asks ShouldProcess on the pipeline thread and waits for the answer; cancelled, never left
    /// unanswered, once the cmdlet is stopped or its pipeline failed.
    /// </summary>
    public Task<bool> ShouldProcessAsync(string target, string action, string? description = null) =>
        Queue.Ask(c => c.ShouldProcessChange(target, action, description));

    private void Post(Action<AsyncCmdlet> action) => Queue.Post(action);

    private sealed class GroupEnd(PipelineWriter writer) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                writer.Post(c => c.Pipelines?.EndGroup());
            }
        }
    }

    private static ProgressRecord ToRecord(OperationProgress progress)
    {
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, string.IsNullOrEmpty(progress.Status) ? " " : progress.Status)
        {
            PercentComplete = Math.Clamp(progress.PercentComplete, -1, 100),
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            ParentActivityId = progress.ParentActivityId,
        };
        return record;
    }
}
