using System.Management.Automation;

namespace ClusterManagement.Apps;

/// <summary>Suspend-AppRollout and Resume-AppRollout: the same change with the opposite value.</summary>
public abstract class AppPauseCmdlet : AppCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected abstract bool Pause { get; }

    protected override void ProcessRecord() => RunForApp(async (writer, ct) =>
    {
        var connection = Connect();
        var ns = NamespaceFor(connection);
        var apps = new AppService(connection);
        if (!await writer.ShouldProcessAsync($"app {ns}/{Name}", Pause ? "Pause rollouts" : "Resume rollouts").ConfigureAwait(false))
        {
            return;
        }

        if (!await apps.SetPausedAsync(ns, Name, Pause, ct).ConfigureAwait(false))
        {
            writer.Warning($"App '{ns}/{Name}' is already {(Pause ? "paused" : "not paused")}; nothing changed.");
        }

        if (PassThru)
        {
            writer.Object(await apps.GetAsync(ns, Name, ct).ConfigureAwait(false));
        }
    });
}
