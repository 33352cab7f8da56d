using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Common;
using ClusterManagement.Engine.Common;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsLifecycle.Restart, "App", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Restart-App.md")]
[OutputType(typeof(AppRollout))]
public sealed class RestartAppCommand : AppCmdlet
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

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord() => RunForApp(async (connection, writer, ct) =>
    {
        var ns = NamespaceFor(connection, Namespace);
        var apps = new AppService(connection);
        if (!await writer.ShouldProcessAsync($"app {ns}/{Name}", "Restart (replace every pod)").ConfigureAwait(false))
        {
            return;
        }
        var rollout = await apps.RestartAsync(ns, Name, Clock.UtcNow, ct).ConfigureAwait(false);
        if (Wait)
        {
            rollout = await FollowAfterAsync(apps, writer, rollout, Timeout, ct).ConfigureAwait(false);
        }
        writer.Object(rollout);
    });
}
