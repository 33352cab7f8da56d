using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Nodes;

/// <summary>Cordons nodes, and with -Drain evicts their pods the way kubectl drain does.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "ClusterNode", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NodeDrainResult), typeof(ClusterNode))]
public sealed class SuspendClusterNodeCommand : PodNodeCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeName", "Node")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter Drain { get; set; }

    [Parameter]
    public SwitchParameter IgnoreDaemonSets { get; set; }

    [Parameter]
    public SwitchParameter DeleteEmptyDirData { get; set; }

    /// <summary>kubectl's --force (pods without a controller, orphans of a deleted DaemonSet); also skips confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? GracePeriod { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    [Parameter]
    public SwitchParameter DisableEviction { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override bool ForceRequested => Force;

    protected override void ProcessRecord() => Run(async (writer, ct) =>
    {
        var connection = Connect();
        var maintenance = new NodeMaintenance(connection, writer);
        var nodes = new NodeService(connection);
        var options = new DrainOptions
        {
            IgnoreDaemonSets = IgnoreDaemonSets,
            DeleteEmptyDirData = DeleteEmptyDirData,
            Force = Force,
            GracePeriodSeconds = GracePeriod,
            Timeout = Timeout is { } t && t > TimeSpan.Zero ? t : null,
            DisableEviction = DisableEviction,
        };
        foreach (var name in RequestedNames(Name, writer))
        {
            try
            {
                if (Drain)
                {
                    using var group = writer.Group($"Drain node {name}");
                    await DrainAsync(name, maintenance, nodes, options, writer, ct).ConfigureAwait(false);
                }
                else
                {
                    await SchedulingChange.ApplyAsync(name, true, PassThru, maintenance, nodes, writer, ct).ConfigureAwait(false);
                }
            }
            catch (ClusterException e)
            {
                // One node's failure must not stop the others in the pipeline.
                writer.Error(ErrorRecords.From(e));
            }
        }
    });

    private async Task DrainAsync(string name, NodeMaintenance maintenance, NodeService nodes, DrainOptions options, PipelineWriter writer, CancellationToken ct)
    {
        // Decided before anything changes, so a drain kubectl would refuse leaves the node as it was.
        var plan = await maintenance.PlanDrainAsync(name, options, ct).ConfigureAwait(false);
        if (plan.Block.Length > 0)
        {
            writer.Error(Blocked(name, plan.Problems(), "DrainBlocked", "Nothing was changed.", plan.Block));
            return;
        }

        if (!await writer.ShouldProcessAsync($"Node {name}", "Drain", plan.Describe()).ConfigureAwait(false))
        {
            return;
        }

        var (_, changed) = await maintenance.SetUnschedulableAsync(name, true, ct).ConfigureAwait(false);
        writer.Verbose(changed ? $"Node {name} cordoned." : $"Node {name} is already cordoned.");

        // Listed again now the node is cordoned: pods that landed since the plan are drained as well.
        plan = await maintenance.PlanDrainAsync(name, options, ct).ConfigureAwait(false);
        if (plan.Block.Length > 0)
        {
            writer.Error(Blocked(name, plan.Problems(), "DrainBlocked", "The node stays cordoned.", plan.Block));
            return;
        }

        foreach (var warning in plan.Warnings())
        {
            writer.Warning(warning);
        }

        var result = await maintenance.DrainAsync(plan, options, ct).ConfigureAwait(false);
        writer.Object(result);
        if (!result.Completed)
        {
            writer.Error(Blocked(name, result.Failed.Select(f => $"{f.Namespace}/{f.Name}: {f.Reason}"), "DrainIncomplete",
                "The node stays cordoned; run the command again to continue.", result.Failed));
            return;
        }

        writer.Verbose($"Node {name} drained in {result.Duration.TotalSeconds:0.0} s.");
        if (PassThru)
        {
            writer.Object(await nodes.GetAsync(name, ct).ConfigureAwait(false));
        }
    }

    private static ErrorRecord Blocked(string node, IEnumerable<string> problems, string errorId, string outcome, DrainPodStatus[] pods)
    {
        var message = $"Node {node} cannot be drained. {outcome}{Environment.NewLine}{string.Join(Environment.NewLine, problems)}";
        var kind = errorId == "DrainIncomplete" ? ClusterErrorKind.Timeout : ClusterErrorKind.OperationFailed;
        var record = ErrorRecords.From(new ClusterException(kind, errorId, message, node));
        record.ErrorDetails = new ErrorDetails(message)
        {
            RecommendedAction = errorId == "DrainIncomplete"
                ? "Check the PodDisruptionBudgets and the pods named above, then run Suspend-ClusterNode -Drain again."
                : "Add the switch the message names, or move those pods first.",
        };
        return record;
    }
}
