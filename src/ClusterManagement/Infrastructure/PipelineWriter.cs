using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Lets asynchronous work, on any thread, write to the pipeline. PowerShell only accepts Write*
/// calls on the pipeline thread, so every call is queued and the pipeline thread runs the queue
/// (see <see cref="AsyncCmdlet"/>).
/// </summary>
internal sealed class PipelineWriter : IOperationLog
{
    /// <summary>The type name suffix that selects the views with a Context column (the Format files).</summary>
    internal const string AmongContexts = "#Contexts";

    private readonly ObjectOrigin? origin;

    public PipelineWriter(CancellationToken cancellation) => Queue = new(cancellation);

    private PipelineWriter(PipelineQueue<AsyncCmdlet> queue, ObjectOrigin origin)
    {
        Queue = queue;
        this.origin = origin;
    }

    internal PipelineQueue<AsyncCmdlet> Queue { get; }

    /// <summary>
    /// The writer for the work on one context. Objects it writes name their context and cluster. When the
    /// command works on <paramref name="amongSeveral"/> contexts, its objects also select the views with a
    /// Context column, and its errors and confirmation targets name the context, so that every line says
    /// which cluster it is about; with one context everything reads as it always did.
    /// </summary>
    public PipelineWriter For(string context, string? cluster, bool amongSeveral) => new(Queue, new(context, cluster, amongSeveral));

    /// <summary>The context of this writer's work when the command works on several; null with one, where everything reads as it always did.</summary>
    public string? ContextAmongSeveral => origin is { AmongSeveral: true } ? origin.Context : null;

    public void Object(object? value)
    {
        var marked = origin is null ? value : origin.Mark(value);
        Post(c => c.WriteObject(marked));
    }

    /// <summary>The first engine failure this writer reported, if any: a context whose work reported one has failed.</summary>
    public ClusterException? FirstFailure => Volatile.Read(ref firstFailure);

    private ClusterException? firstFailure;

    public void Error(ErrorRecord record)
    {
        if (record.Exception is ClusterException failure)
        {
            Interlocked.CompareExchange(ref firstFailure, failure, null);
        }

        if (origin is { AmongSeveral: true })
        {
            record.ErrorDetails = new ErrorDetails(Located(record.ErrorDetails?.Message ?? record.Exception.Message))
            {
                RecommendedAction = record.ErrorDetails?.RecommendedAction,
            };
        }

        Post(c => c.WriteErrorRecord(record));
    }

    public void Verbose(string message) => Post(c => c.WriteVerbose(Located(message)));

    public void Warning(string message) => Post(c => c.WriteWarningMessage(Located(message)));

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
    private string Located(string message) => origin is { AmongSeveral: true } ? $"Context '{origin.Context}': {message}" : message;

    public Task<bool> ShouldProcessAsync(string target, string action, string? description = null)
    {
        var where = origin is { AmongSeveral: true } ? $"{target} in context '{origin.Context}'" : target;
        return Queue.Ask(c => c.ShouldProcessChange(where, action, description));
    }

    private void Post(Action<AsyncCmdlet> action) => Queue.Post(action);

    private sealed record ObjectOrigin(string Context, string? Cluster, bool AmongSeveral)
    {
        public object? Mark(object? value)
        {
            if (value is not IClusterObject read)
            {
                return value;
            }

            read.Context ??= Context;
            read.Cluster ??= Cluster;
            if (!AmongSeveral)
            {
                return value;
            }

            var shown = PSObject.AsPSObject(value);
            shown.TypeNames.Insert(0, value.GetType().FullName + AmongContexts);
            return shown;
        }
    }

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
