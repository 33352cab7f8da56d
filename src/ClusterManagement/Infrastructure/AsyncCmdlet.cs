using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Infrastructure;

/// <summary>
/// Base for cmdlets whose work is asynchronous. The work runs on the thread pool while the
/// pipeline thread pumps its writes; Ctrl+C (StopProcessing) cancels the work's token, and a
/// downstream <c>Select-Object -First</c> stops it as well.
/// </summary>
public abstract class AsyncCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Skips confirmation prompts; declared by cmdlets that change things.</summary>
    protected virtual bool ForceRequested => false;

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>Runs <paramref name="work"/> to completion, writing what it posts as it goes.</summary>
    private protected void Run(Func<PipelineWriter, CancellationToken, Task> work)
    {
        var writer = new PipelineWriter();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var task = Task.Run(async () =>
        {
            using var requestLog = ApiRequestLog.Attach(writer);
            try
            {
                await work(writer, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                writer.Queue.CompleteAdding();
            }
        });

        Exception? pipelineFailure = null;
        foreach (var action in writer.Queue.GetConsumingEnumerable())
        {
            if (pipelineFailure is not null)
            {
                continue;
            }

            try
            {
                action(this);
            }
            catch (Exception e)
            {
                // PipelineStoppedException and friends: stop the work, keep draining so it can finish.
                pipelineFailure = e;
                linked.Cancel();
            }
        }

        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested || pipelineFailure is not null)
        {
        }
        catch (ClusterException e) when (pipelineFailure is null)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
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

        return description is null
            ? ShouldProcess(target, action)
            : ShouldProcess(description, $"{description}{Environment.NewLine}{action} {target}?", "Confirm");
    }

    private bool WhatIfRequested =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true })
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && SessionState.PSVariable.GetValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true });

    internal void WriteErrorRecord(ErrorRecord record) => WriteError(record);

    internal void WriteWarningMessage(string message) => WriteWarning(message);
}
