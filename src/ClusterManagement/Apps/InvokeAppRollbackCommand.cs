using System.Management.Automation;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsLifecycle.Invoke, "AppRollback", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByApp)]
[OutputType(typeof(AppRollout))]
public sealed class InvokeAppRollbackCommand : AppCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    private const string ByName = "ByName";
    private const string ByApp = "ByApp";

    /// <summary>
    /// <para type="description">The app (Deployment) to roll back. Binds from the pipeline by property name, so AppRevision objects (their App property) roll back to their revision.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>
    /// <para type="description">A ClusterApp from Get-ClusterApp; it is rolled back to its previous revision (or -ToRevision). Its own Revision property is the current revision and is not used as the target.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByApp)]
    public ClusterApp? InputObject { get; set; }

    /// <summary>
    /// <para type="description">The revision to return to, as Get-AppRevision lists them. Defaults to the previous revision. Binds from an AppRevision's Revision property.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [Parameter(ParameterSetName = ByApp)]
    [Alias("Revision")]
    [ValidateRange(1, long.MaxValue)]
    [ArgumentCompleter(typeof(AppRevisionCompleter))]
    public long ToRevision { get; set; }

    /// <summary>
    /// <para type="description">Follows the rollback's rollout until it completes, fails its progress deadline or -Timeout passes, with a progress bar.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord() => RunForApp(async (writer, ct) =>
    {
        var connection = Connect();
        var name = InputObject?.Name ?? Name;
        var ns = InputObject?.Namespace ?? NamespaceFor(connection);
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
            rollout = await FollowAfterAsync(apps, writer, rollout, ct).ConfigureAwait(false);
        }
        writer.Object(rollout);
    });
}
