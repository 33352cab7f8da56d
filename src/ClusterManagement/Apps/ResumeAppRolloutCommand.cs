using System.Management.Automation;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsLifecycle.Resume, "AppRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClusterApp))]
public sealed class ResumeAppRolloutCommand : AppCmdlet
{
    /// <summary>
    /// <para type="description">The app (Deployment).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>
    /// <para type="description">Writes the app (ClusterApp) afterwards.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => RunForApp(async (writer, ct) =>
    {
        var connection = Connect();
        var ns = NamespaceFor(connection);
        var apps = new AppService(connection);
        if (!await writer.ShouldProcessAsync($"app {ns}/{Name}", "Resume rollouts").ConfigureAwait(false))
        {
            return;
        }
        if (!await apps.SetPausedAsync(ns, Name, paused: false, ct).ConfigureAwait(false))
        {
            writer.Warning($"App '{ns}/{Name}' is already not paused; nothing changed.");
        }
        if (PassThru)
        {
            writer.Object(await apps.GetAsync(ns, Name, ct).ConfigureAwait(false));
        }
    });
}
