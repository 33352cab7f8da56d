using System.Collections.Concurrent;
using System.Management.Automation;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Infrastructure;

/// <summary>
/// Lets asynchronous work, on any thread, write to the pipeline. PowerShell only accepts Write*
/// calls on the pipeline thread, so every call is queued and the pipeline thread runs the queue
/// (see <see cref="AsyncCmdlet"/>).
/// </summary>
internal sealed class PipelineWriter : IOperationLog
{
    private readonly BlockingCollection<Action<AsyncCmdlet>> queue = new();

    internal BlockingCollection<Action<AsyncCmdlet>> Queue => queue;

    public void Object(object? value) => Post(c => c.WriteObject(value));

    public void Error(ErrorRecord record) => Post(c => c.WriteErrorRecord(record));

    public void Verbose(string message) => Post(c => c.WriteVerbose(message));

    public void Warning(string message) => Post(c => c.WriteWarningMessage(message));

    public void Progress(OperationProgress progress) => Post(c => c.WriteProgress(ToRecord(progress)));

    /// <summary>Asks ShouldProcess on the pipeline thread and waits for the answer.</summary>
    public Task<bool> ShouldProcessAsync(string target, string action, string? description = null)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(c =>
        {
            try
            {
                answer.SetResult(c.ShouldProcessChange(target, action, description));
            }
            catch (Exception e)
            {
                answer.SetException(e);
                throw;
            }
        });
        return answer.Task;
    }

    private void Post(Action<AsyncCmdlet> action)
    {
        // After the pipeline stopped, late writes from still-running work are dropped on purpose.
        if (!queue.IsAddingCompleted)
        {
            try
            {
                queue.Add(action);
            }
            catch (InvalidOperationException)
            {
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
