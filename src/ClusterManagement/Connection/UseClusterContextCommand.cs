using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;
using ClusterManagement.Kubernetes;

namespace ClusterManagement.Connection;

/// <summary>Chooses the context (and namespace) for this PowerShell session only; no kubeconfig file is written.</summary>
[Cmdlet(VerbsOther.Use, "ClusterContext", SupportsShouldProcess = true)]
[OutputType(typeof(ClusterContext))]
public sealed class UseClusterContextCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var kubeConfig = KubeConfig is null ? SessionDefaults.Current.KubeConfig : ClusterCmdlet.ResolvePaths(this, KubeConfig);
        ClusterContext? context;
        try
        {
            context = ClusterConnection.ListContexts(kubeConfig, null).FirstOrDefault(c => c.Name == Name);
        }
        catch (ClusterException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            return;
        }

        if (context is null)
        {
            ThrowTerminatingError(ErrorRecords.From(new ClusterException(
                ClusterErrorKind.ContextNotFound,
                "ContextNotFound",
                $"The kubeconfig has no context named '{Name}'. List the contexts with Get-ClusterContext.",
                Name)));
            return;
        }

        var target = Namespace is null ? Name : $"{Name} (namespace {Namespace})";
        if (!ShouldProcess(target, "Use as this session's default cluster context"))
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
