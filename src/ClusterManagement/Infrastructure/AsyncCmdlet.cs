using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>
/// Base of the module's cmdlets and their one write path. Work that is asynchronous runs on the thread
/// pool while the pipeline thread pumps its writes; Ctrl+C (StopProcessing) cancels the work's token, and
/// a downstream <c>Select-Object -First</c> stops it as well. Errors, warnings and progress also become
/// Azure Pipelines logging commands inside a pipeline job.
/// </summary>
public abstract class AsyncCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource stopping = new();
    private AzurePipelines? azurePipelines;
    private bool azurePipelinesRead;

    /// <summary>Skips confirmation prompts; declared by cmdlets that change things.</summary>
    protected virtual bool ForceRequested => false;

    private int forceDeprecationWarned;

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// How long Ctrl+C waits for the work to unwind (close its connections) before the cmdlet returns
    /// without it: work that ignores its token must not keep the prompt.
    /// </summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

    // The work completes its queue in its last finally: only that block is left to run.
    private static readonly TimeSpan WorkEndAfterDrain = TimeSpan.FromMilliseconds(500);

    /// <summary>The bound on each API request the work makes: ClusterCmdlet's -RequestTimeout.</summary>
    private protected virtual TimeSpan RequestBound => ApiRequestTimeout.Default;

    /// <summary>Runs <paramref name="work"/> to completion, writing what it posts as it goes.</summary>
    private protected void Run(Func<PipelineWriter, CancellationToken, Task> work)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var writer = new PipelineWriter(linked.Token);
        var task = Task.Run(async () =>
        {
            using var requestLog = ApiRequestLog.Attach(writer);
            using var requestTimeout = ApiRequestTimeout.Apply(RequestBound);
            try
            {
                await work(writer, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                writer.Queue.Complete();
            }
        });
        // A write that throws (PipelineStoppedException, -ErrorAction Stop, a downstream failure)
        // cancels the work, which must then end.
        var pipelineFailure = writer.Queue.Pump(this, linked, stopping.Token);

        if (!stopping.IsCancellationRequested
            || (writer.Queue.DrainAfterStop(this, StopGrace) && ((IAsyncResult)task).AsyncWaitHandle.WaitOne(WorkEndAfterDrain)))
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested || pipelineFailure is not null)
            {
            }
            catch (ClusterException e) when (pipelineFailure is null)
            {
                ThrowErrorRecord(ErrorRecords.From(e));
            }
            catch (Exception) when (pipelineFailure is not null)
            {
                // Whatever the cancelled work threw, the pipeline failed first: that is what the caller sees.
            }
            finally
            {
                linked.Dispose();
            }
        }
        else
        {
            // Work that outlives Ctrl+C still holds the token.
            _ = task.ContinueWith(_ => linked.Dispose(), TaskScheduler.Default);
        }

        if (pipelineFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(pipelineFailure).Throw();
        }

        if (stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>ShouldProcess that -Force answers without a prompt, but that -WhatIf still only describes.</summary>
    /// <param name="description">
    /// The full account of what would change (several lines), for -WhatIf and the -Confirm prompt; a
    /// drain's list of pods, say. Without one, the standard "Performing the operation" text.
    /// </param>
    internal bool ShouldProcessChange(string target, string action, string? description = null)
    {
        if (ForceRequested && !WhatIfRequested)
        {
            WriteVerbose($"{action} on {target} (-Force: not asking).");
            return true;
        }

        try
        {
            return description is null
                ? ShouldProcess(target, action)
                : ShouldProcess(description, $"{description}{Environment.NewLine}{action} {target}?", "Confirm");
        }
        catch (Exception e) when (e is PSInvalidOperationException or System.Management.Automation.Host.HostException)
        {
            // PowerShell's own text ("NonInteractive mode. Read and Prompt functionality is not available")
            // does not say which cmdlet asked or how a script answers in advance.
            var command = MyInvocation.MyCommand.Name;
            var answer = MyInvocation.MyCommand.Parameters.ContainsKey("Force") ? "-Force or -Confirm:$false" : "-Confirm:$false";
            ThrowErrorRecord(ErrorRecords.InvalidOperation(
                ClusterErrors.ConfirmationNotPossible,
                $"{command} needs confirmation to {action} on {target}, but this session cannot prompt (non-interactive). Add {answer} to {command} to go ahead without asking, or -WhatIf to only see what it would do.",
                target,
                e));
            return false;
        }
    }

    /// <summary>
    /// Whether the destructive switch <paramref name="switchName"/> is in effect. On this cmdlet -Force once
    /// meant it as well; for one release -Force alone still does, so old scripts behave as before, and says
    /// so (once per invocation). Call it only where the switch makes a difference, so a -Force that only
    /// skips the prompt stays quiet. Naming the switch (present or <c>:$false</c>) decides alone.
    /// </summary>
    /// <param name="meaning">What the switch does, after "also": "removes claims that pods mount".</param>
    internal bool DestructiveSwitchInEffect(string switchName, string meaning, PipelineWriter writer)
    {
        if (MyInvocation.BoundParameters.TryGetValue(switchName, out var value) && value is SwitchParameter { IsPresent: true })
        {
            return true;
        }

        if (!ForceStandsFor(switchName))
        {
            return false;
        }

        WarnForceDeprecated(switchName, meaning, writer);
        return true;
    }

    /// <summary>-Force alone standing in for <paramref name="switchName"/>: see <see cref="DestructiveSwitchInEffect"/>.</summary>
    internal bool ForceStandsFor(string switchName) => ForceRequested && !MyInvocation.BoundParameters.ContainsKey(switchName);

    internal void WarnForceDeprecated(string switchName, string meaning, PipelineWriter writer)
    {
        // Work may run for several nodes at once: one warning however many need it.
        if (Interlocked.Exchange(ref forceDeprecationWarned, 1) == 0)
        {
            var command = MyInvocation.MyCommand.Name;
            writer.Warning($"-Force on {command} also {meaning}, as -{switchName} does. That second meaning is deprecated and goes in the next release, when -Force will only skip confirmation: add -{switchName} to keep it, or -{switchName}:$false to only skip confirmation.");
        }
    }

    private bool WhatIfRequested =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true })
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && SessionState.PSVariable.GetValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true });

    /// <summary>
    /// The job's logging commands, or null outside Azure Pipelines. Read once per invocation, and only on
    /// the pipeline thread: every caller is a write the pipeline thread runs.
    /// </summary>
    internal AzurePipelines? Pipelines
    {
        get
        {
            if (!azurePipelinesRead)
            {
                azurePipelinesRead = true;
                azurePipelines = AzurePipelines.FromEnvironment(WriteHostLine);
            }

            return azurePipelines;
        }
    }

    // Write-Host's way: the information stream tagged PSHOST, which the console host prints on stdout,
    // where the agent looks, and which assignments and pipes leave alone.
    // Once stopped, the pipeline refuses writes; the host still shows the line.
    private void WriteHostLine(string line)
    {
        if (Stopping)
        {
            Host?.UI?.WriteLine(line);
            return;
        }

        WriteInformation(new HostInformationMessage { Message = line }, ["PSHOST"]);
    }

    // Before WriteError: with -ErrorAction Stop it throws, and the agent would never hear of the error.
    internal void WriteErrorRecord(ErrorRecord record)
    {
        LogIssue(record);
        WriteError(record);
    }

    private protected void ThrowErrorRecord(ErrorRecord record)
    {
        LogIssue(record);
        ThrowTerminatingError(record);
    }

    internal void WriteWarningMessage(string message)
    {
        Pipelines?.Warning(message);
        if (Stopping)
        {
            // What Ctrl+C left behind (a node that stays cordoned) must still reach the user.
            Host?.UI?.WriteWarningLine(message);
            return;
        }

        WriteWarning(message);
    }

    internal void WriteProgressRecord(ProgressRecord record)
    {
        if (record.RecordType == ProgressRecordType.Processing)
        {
            Pipelines?.Progress(record.PercentComplete, record.Activity, nested: record.ParentActivityId >= 0);
        }

        WriteProgress(record);
    }

    private void LogIssue(ErrorRecord record) =>
        Pipelines?.Error(record.ErrorDetails?.Message ?? record.Exception.Message, record.FullyQualifiedErrorId);
}
