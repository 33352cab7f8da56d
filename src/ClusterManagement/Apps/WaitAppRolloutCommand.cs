using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Apps;
using ClusterManagement.Engine.Apps;

namespace ClusterManagement.Commands.Apps;

[Cmdlet(VerbsLifecycle.Wait, "AppRollout", HelpUri = HelpPages.Docs + "Wait-AppRollout.md")]
[OutputType(typeof(AppRollout))]
public sealed class WaitAppRolloutCommand : AppCmdlet
{
    private protected override ContextReach Reach => ContextReach.Reads;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan? Timeout { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("App")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AppNameCompleter))]
    public string Name { get; set; } = "";

    protected override void ProcessRecord() => RunForApp(async (connection, writer, ct) =>
    {
        writer.Object(await FollowAsync(new AppService(connection), writer, NamespaceFor(connection, Namespace), Name, null, Timeout, ct).ConfigureAwait(false));
    });
}
