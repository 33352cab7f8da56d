using ClusterManagement.Common;
using System.Management.Automation;
using ClusterManagement.Apps;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Apps;

/// <summary>
/// Base of the app cmdlets that can follow a rollout: -Wait/-Timeout, the progress bar, rollout errors,
/// and what Ctrl+C says: the wait stops, the rollout does not.
/// </summary>
public abstract class AppCmdlet : NamespacedCmdlet
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    private volatile string? waitingFor;

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Runs the work for one app: what goes wrong with that app (not found, paused, bad revision) is a
    /// non-terminating error, so a pipeline of apps carries on; a broken connection or configuration still stops it.
    /// </summary>
    private protected void RunForApp(Func<PipelineWriter, CancellationToken, Task> work) => Run(async (writer, ct) =>
    {
        try
        {
            await work(writer, ct).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind is not (ClusterErrorKind.Unreachable or ClusterErrorKind.Unauthorized
            or ClusterErrorKind.ConfigurationInvalid or ClusterErrorKind.ContextNotFound or ClusterErrorKind.Forbidden))
        {
            writer.Error(ErrorRecords.From(e));
        }
    });

    protected override void StopProcessing()
    {
        base.StopProcessing();
        // The pipeline no longer takes writes once stopping; the host still shows a line.
        if (waitingFor is { } state)
        {
            Host?.UI?.WriteWarningLine($"Stopped waiting: {state} The rollout continues in the cluster; follow it with Wait-AppRollout.");
        }
    }

    /// <summary>Follows the rollout a change started; the result keeps where it started from and the whole duration.</summary>
    private protected async Task<AppRollout> FollowAfterAsync(AppService apps, PipelineWriter writer, AppRollout started, CancellationToken ct)
    {
        if (started.Status == AppRolloutStatus.Skipped)
        {
            return started;
        }
        var followed = await FollowAsync(apps, writer, started.Namespace, started.App, started.FromRevision, ct).ConfigureAwait(false);
        return new AppRollout
        {
            App = followed.App,
            Namespace = followed.Namespace,
            FromRevision = started.FromRevision,
            ToRevision = followed.ToRevision,
            Images = followed.Images,
            Status = followed.Status,
            Message = followed.Message,
            Duration = IsoDuration.Format(IsoDuration.Parse(started.Duration) + IsoDuration.Parse(followed.Duration)),
        };
    }

    /// <summary>Follows the rollout like kubectl rollout status, with a progress bar; failure and timeout are errors.</summary>
    private protected async Task<AppRollout> FollowAsync(AppService apps, PipelineWriter writer, string ns, string name, long? fromRevision, CancellationToken ct)
    {
        var activity = $"Rolling out app {ns}/{name}";
        var id = Math.Abs(HashCode.Combine(ns, name) % 100_000) + 1;
        waitingFor = $"app {ns}/{name} is still rolling out.";
        using var group = writer.Group($"Roll out app {ns}/{name}");
        AppRollout rollout;
        try
        {
            rollout = await apps.WaitAsync(ns, name, fromRevision, Timeout ?? DefaultTimeout, state =>
            {
                waitingFor = $"app {ns}/{name} is still rolling out ({state.Message})";
                writer.Progress(new OperationProgress(id, activity, state.Message, state.Percent));
            }, writer, ct).ConfigureAwait(false);
        }
        finally
        {
            waitingFor = null;
            writer.Progress(new OperationProgress(id, activity, "done", 100, Completed: true));
        }
        if (rollout.Status == AppRolloutStatus.Failed)
        {
            writer.Error(ErrorRecords.From(new ClusterException(ClusterErrorKind.OperationFailed, "AppProgressDeadlineExceeded", rollout.Message, name)));
        }
        else if (rollout.Status == AppRolloutStatus.Progressing && !ct.IsCancellationRequested)
        {
            writer.Error(ErrorRecords.From(new ClusterException(ClusterErrorKind.Timeout, "AppRolloutTimeout", rollout.Message, name)));
        }
        return rollout;
    }
}
