using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsLifecycle.Suspend, "AppRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Suspend-AppRollout.md")]
[OutputType(typeof(ClusterApp))]
public sealed class SuspendAppRolloutCommand : AppCmdlet
{
    private protected override ContextReach Reach => ContextReach.Changes;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    protected override void ProcessRecord() => SetPaused(Namespace, Name, pause: true, PassThru);
}
