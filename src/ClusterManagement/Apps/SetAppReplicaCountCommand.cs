using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsCommon.Set, "AppReplicaCount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Set-AppReplicaCount.md")]
[OutputType(typeof(ClusterApp), typeof(AppRollout))]
public sealed class SetAppReplicaCountCommand : AppCmdlet
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

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateRange(0, int.MaxValue)]
    public int Replicas { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? CurrentReplicas { get; set; }

    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => RunForApp(async (connection, writer, ct) =>
    {
        var ns = NamespaceFor(connection, Namespace);
        var apps = new AppService(connection);
        var condition = CurrentReplicas is { } current ? $" (if it has {current} now)" : "";
        if (!await writer.ShouldProcessAsync($"app {ns}/{Name}", $"Scale to {Replicas} replicas{condition}").ConfigureAwait(false))
        {
            return;
        }
        await apps.ScaleAsync(ns, Name, Replicas, CurrentReplicas, writer, ct).ConfigureAwait(false);
        if (Wait)
        {
            writer.Object(await FollowAsync(apps, writer, ns, Name, null, Timeout, ct).ConfigureAwait(false));
        }
        if (PassThru)
        {
            writer.Object(await apps.GetAsync(ns, Name, ct).ConfigureAwait(false));
        }
    });
}
