using System.Management.Automation;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsLifecycle.Resume, "AppRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClusterApp))]
public sealed class ResumeAppRolloutCommand : AppPauseCmdlet
{
    private protected override bool Pause => false;
}
