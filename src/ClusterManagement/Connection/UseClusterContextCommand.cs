using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Connection;

/// <summary>Chooses the context (and namespace) for this PowerShell session only; no kubeconfig file is written.</summary>
[Cmdlet(VerbsOther.Use, "ClusterContext", SupportsShouldProcess = true, DefaultParameterSetName = ChooseSet, HelpUri = HelpPages.Docs + "Use-ClusterContext.md")]
[OutputType(typeof(ClusterContext))]
public sealed class UseClusterContextCommand : AsyncCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force;

    private const string ChooseSet = "Choose";
    private const string ResetSet = "Reset";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ChooseSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Position = 1, ParameterSetName = ChooseSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ChosenContextNamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(ParameterSetName = ChooseSet)]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>Forgets the session's choice: the kubeconfig's own current-context applies again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
    public SwitchParameter Reset { get; set; }

    [Parameter(ParameterSetName = ChooseSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (Reset)
        {
            if (ShouldProcessChange("this session", "Forget the default cluster context"))
            {
                var current = SessionDefaults.Current;
                current.KubeConfig = null;
                current.Context = null;
                current.Namespace = null;
            }

            return;
        }

        var kubeConfig = KubeConfig is null ? SessionDefaults.Current.KubeConfig : ClusterCmdlet.ResolvePaths(this, KubeConfig);
        ClusterContext? context;
        try
        {
            context = ClusterConnection.ListContexts(kubeConfig, null).FirstOrDefault(c => c.Name == Name);
        }
        catch (ClusterException e)
        {
            ThrowErrorRecord(ErrorRecords.From(e));
            return;
        }

        if (context is null)
        {
            ThrowErrorRecord(ErrorRecords.From(new ClusterException(ClusterErrors.ContextNotFound, $"The kubeconfig has no context named '{Name}'. List the contexts with Get-ClusterContext.",
                Name)));
            return;
        }

        var target = Namespace is null ? Name : $"{Name} (namespace {Namespace})";
        if (!ShouldProcessChange(target, "Use as this session's default cluster context"))
        {
            return;
        }

        var defaults = SessionDefaults.Current;
        defaults.KubeConfig = kubeConfig;
        defaults.Context = Name;
        defaults.Namespace = Namespace;
        if (PassThru)
        {
            WriteObject(new ClusterContext
            {
                Name = context.Name,
                Cluster = context.Cluster,
                Server = context.Server,
                User = context.User,
                Namespace = Namespace ?? context.Namespace,
                IsCurrent = true,
                Source = context.Source,
            });
        }
    }
}
