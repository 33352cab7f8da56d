using System.Management.Automation;
using ClusterManagement.Infrastructure;

namespace ClusterManagement.Apps;

[Cmdlet(VerbsLifecycle.Resume, "AppRollout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "Resume-AppRollout.md")]
[OutputType(typeof(ClusterApp))]
public sealed class ResumeAppRolloutCommand : AppPauseCmdlet
{
    private protected override bool Pause => false;
}
