using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Infrastructure;

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

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>
    /// How long Ctrl+C waits for the work to unwind (close its connections) before the cmdlet returns
    /// without it: work that ignores its token must not keep the prompt.
    /// </summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

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

        if (!stopping.IsCancellationRequested || ((IAsyncResult)task).AsyncWaitHandle.WaitOne(StopGrace))
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
    private void WriteHostLine(string line) => WriteInformation(new HostInformationMessage { Message = line }, ["PSHOST"]);

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
        WriteWarning(message);
    }

    internal void WriteProgressRecord(ProgressRecord record)
    {
        if (record.RecordType == ProgressRecordType.Processing)
        {
            Pipelines?.Progress(record.PercentComplete, record.Activity);
        }

        WriteProgress(record);
    }

    private void LogIssue(ErrorRecord record) =>
        Pipelines?.Error(record.ErrorDetails?.Message ?? record.Exception.Message, record.FullyQualifiedErrorId);
}
