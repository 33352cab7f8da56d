using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using System.Management.Automation;

namespace ClusterManagement.Commands.Apps;

/// <summary>
/// Base of the app cmdlets that change or follow an app. It declares no parameters (each cmdlet shows
/// its own): it holds the per-app error policy, the rollout wait with its progress bar and rollout
/// errors, and what Ctrl+C says: the wait stops, the rollout does not.
/// </summary>
public abstract class AppCmdlet : ClusterCmdlet
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Runs the work for one app: what goes wrong with that app (not found, paused, bad revision) is a
    /// non-terminating error, so a pipeline of apps carries on; a broken connection or configuration still stops it.
    /// </summary>
    private protected void RunForApp(Func<ClusterConnection, PipelineWriter, CancellationToken, Task> work) => RunInContexts(async (connection, writer, ct) =>
    {
        try
        {
            await work(connection, writer, ct).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind is not (ClusterErrorKind.Unreachable or ClusterErrorKind.Unauthorized
            or ClusterErrorKind.ConfigurationInvalid or ClusterErrorKind.ContextNotFound or ClusterErrorKind.Forbidden))
        {
            writer.Error(ErrorRecords.From(e));
        }
    });

    /// <summary>Follows the rollout a change started; the result keeps where it started from and the whole duration.</summary>
    private protected async Task<AppRollout> FollowAfterAsync(AppService apps, PipelineWriter writer, AppRollout started, TimeSpan? timeout, CancellationToken ct)
    {
        if (started.Status == AppRolloutStatus.Skipped)
        {
            return started;
        }
        var followed = await FollowAsync(apps, writer, started.Namespace, started.App, started.FromRevision, timeout, ct).ConfigureAwait(false);
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
            Diagnosis = followed.Diagnosis,
        };
    }

    /// <summary>Follows the rollout like kubectl rollout status, with a progress bar; failure and timeout are errors.</summary>
    private protected async Task<AppRollout> FollowAsync(AppService apps, PipelineWriter writer, string ns, string name, long? fromRevision, TimeSpan? timeout, CancellationToken ct)
    {
        var activity = $"Rolling out app {ns}/{name}";
        var id = Math.Abs(HashCode.Combine(ns, name) % 100_000) + 1;
        var waitingFor = $"app {ns}/{name} is still rolling out.";
        using var group = writer.Group($"Roll out app {ns}/{name}");
        AppRollout rollout;
        try
        {
            rollout = await apps.WaitAsync(ns, name, fromRevision, timeout ?? DefaultTimeout, state =>
            {
                waitingFor = $"app {ns}/{name} is still rolling out ({state.Message})";
                writer.Progress(new OperationProgress(id, activity, state.Message, state.Percent));
            }, writer, ct).ConfigureAwait(false);
        }
        finally
        {
            // Ctrl+C: the warning still reaches the host after the stop (AsyncCmdlet drains what the work posts).
            if (ct.IsCancellationRequested)
            {
                writer.Warning($"Stopped waiting: {waitingFor} The rollout continues in the cluster; follow it with Wait-AppRollout.");
            }

            writer.Progress(new OperationProgress(id, activity, "done", 100, Completed: true));
        }
        // A wait stopped by Ctrl+C is no failure of the rollout: the warning above says what happened.
        if (RolloutFailure.Of(rollout) is { } failure && (rollout.Status == AppRolloutStatus.Failed || !ct.IsCancellationRequested))
        {
            writer.Error(ErrorRecords.From(failure));
        }
        return rollout;
    }

    /// <summary>Suspend-AppRollout and Resume-AppRollout: the same change with the opposite value.</summary>
    private protected void SetPaused(string? requestedNamespace, string name, bool pause, bool passThru) => RunForApp(async (connection, writer, ct) =>
    {
        var ns = NamespaceFor(connection, requestedNamespace);
        var apps = new AppService(connection);
        if (!await writer.ShouldProcessAsync($"app {ns}/{name}", pause ? "Pause rollouts" : "Resume rollouts").ConfigureAwait(false))
        {
            return;
        }

        if (!await apps.SetPausedAsync(ns, name, pause, ct).ConfigureAwait(false))
        {
            writer.Warning($"App '{ns}/{name}' is already {(pause ? "paused" : "not paused")}; nothing changed.");
        }

        if (passThru)
        {
            writer.Object(await apps.GetAsync(ns, name, ct).ConfigureAwait(false));
        }
    });
}
