using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Fleets;

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

    /// <summary>The ids of this context's progress bars, when it is one of several; null otherwise.</summary>
    private readonly ContextBars? bars;

    /// <summary>Where the bars of every context of this command take their ids from.</summary>
    private readonly BarIds barIds;

    public PipelineWriter(CancellationToken cancellation)
    {
        Queue = new(cancellation);
        barIds = new();
    }

    private PipelineWriter(PipelineWriter root, ObjectOrigin origin)
    {
        Queue = root.Queue;
        barIds = root.barIds;
        this.origin = origin;
        bars = origin.AmongSeveral ? new ContextBars(origin.Context, barIds) : null;
    }

    internal PipelineQueue<AsyncCmdlet> Queue { get; }

    /// <summary>
    /// The writer for the work on one context. Objects it writes name their context and cluster. When the
    /// command works on <paramref name="amongSeveral"/> contexts, its objects also select the views with a
    /// Context column, and its errors and confirmation targets name the context, so that every line says
    /// which cluster it is about, and its progress bars are its own: under the fan-out's bar of contexts done,
    /// named after the context, with ids no other context's bars share (every context's work numbers its bars
    /// the same way, so they would overwrite each other and one context's end would close another's bar). With
    /// one context everything reads as it always did.
    /// </summary>
    public PipelineWriter For(string context, string? cluster, bool amongSeveral) => new(this, new(context, cluster, amongSeveral));

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

    public void Progress(OperationProgress progress)
    {
        var shown = bars is null ? progress : bars.Own(progress);
        Post(c => c.WriteProgressRecord(ToRecord(shown)));
    }

    /// <summary>
    /// Closes the bars this context's work left open (it failed or was stopped half way): the fan-out goes on,
    /// and a bar that stays would say the context is still at work.
    /// </summary>
    public void CloseProgress()
    {
        foreach (var open in bars?.Close() ?? [])
        {
            Post(c => c.WriteProgressRecord(ToRecord(open)));
        }
    }

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

    /// <summary>Hands out progress ids, above the fan-out's own bar, each to one bar of one context.</summary>
    private sealed class BarIds
    {
        private int last = ContextFanOut.ProgressActivityId;

        public int Next() => Interlocked.Increment(ref last);
    }

    /// <summary>One context's bars: each id its work gives a bar maps to an id of its own, and its name says the context.</summary>
    private sealed class ContextBars(string context, BarIds ids)
    {
        private readonly Dictionary<int, int> idOf = [];
        private readonly Dictionary<int, OperationProgress> open = [];

        public OperationProgress Own(OperationProgress progress)
        {
            lock (idOf)
            {
                var shown = progress with
                {
                    ActivityId = IdOf(progress.ActivityId),
                    Activity = $"{context}: {progress.Activity}",
                    ParentActivityId = progress.ParentActivityId < 0 ? ContextFanOut.ProgressActivityId : IdOf(progress.ParentActivityId),
                };
                if (progress.Completed)
                {
                    open.Remove(shown.ActivityId);
                }
                else
                {
                    open[shown.ActivityId] = shown;
                }

                return shown;
            }
        }

        public List<OperationProgress> Close()
        {
            lock (idOf)
            {
                var closing = open.Values.Select(bar => bar with { Completed = true }).ToList();
                open.Clear();
                return closing;
            }
        }

        private int IdOf(int own)
        {
            if (!idOf.TryGetValue(own, out var id))
            {
                idOf[own] = id = ids.Next();
            }

            return id;
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
