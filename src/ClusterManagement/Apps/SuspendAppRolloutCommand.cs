using System.Management.Automation;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsLifecycle.Suspend, "AppRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Suspend-AppRollout.md")]
[OutputType(typeof(ClusterApp))]
public sealed class SuspendAppRolloutCommand : AppPauseCmdlet
{
    private protected override bool Pause => true;
}
