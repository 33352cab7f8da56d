using System.Management.Automation;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsLifecycle.Suspend, "AppRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClusterApp))]
public sealed class SuspendAppRolloutCommand : AppPauseCmdlet
{
    private protected override bool Pause => true;
}
