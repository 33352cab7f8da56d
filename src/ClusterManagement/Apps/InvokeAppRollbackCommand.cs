using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsLifecycle.Invoke, "AppRollback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByApp, HelpUri = HelpPages.Docs + "Invoke-AppRollback.md")]
[OutputType(typeof(AppRollout))]
public sealed class InvokeAppRollbackCommand : AppCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    private const string ByName = "ByName";
    private const string ByApp = "ByApp";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByApp)]
    public ClusterApp? InputObject { get; set; }

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Parameter(ParameterSetName = ByApp)]
    [Alias("Revision")]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(AppRevisionCompleter))]
    public long ToRevision { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord() => RunForApp(async (connection, writer, ct) =>
    {
        var name = InputObject?.Name ?? Name;
        var ns = InputObject?.Namespace ?? NamespaceFor(connection, Namespace);
        var apps = new AppService(connection);
        var plan = await apps.PlanRollbackAsync(ns, name, ToRevision, ct).ConfigureAwait(false);
        if (plan.SkipMessage is null
            && !await writer.ShouldProcessAsync($"app {ns}/{name}", $"Roll back from revision {plan.FromRevision} to revision {plan.TargetRevision} ({string.Join(", ", plan.TargetImages)})").ConfigureAwait(false))
        {
            return;
        }
        var rollout = await apps.RollbackAsync(plan, ct).ConfigureAwait(false);
        if (Wait)
        {
            rollout = await FollowAfterAsync(apps, writer, rollout, Timeout, ct).ConfigureAwait(false);
        }
        writer.Object(rollout);
    });
}
