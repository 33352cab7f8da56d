using System.Collections;
using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Runtime;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

[Cmdlet(VerbsCommon.New, "ClusterNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpPages.Docs + "New-ClusterNode.md")]
[OutputType(typeof(ClusterNode))]
public sealed class NewClusterNodeCommand : NodeHostCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SshPort")]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 22;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string EngineVersion { get; set; } = PackageVersions.Latest;

    [Parameter]
    public EngineSource EngineSource { get; set; } = EngineSource.Distribution;

    [Parameter]
    [ValidateNotNull]
    public Uri? EngineInstallUrl { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ContainerdVersion { get; set; }

    [Parameter]
    public Hashtable? EngineConfig { get; set; }

    [Parameter]
    public ContainerRuntimeKind ContainerRuntime { get; set; } = ContainerRuntimeKind.Containerd;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CriDockerdPackage { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string KubernetesVersion { get; set; } = PackageVersions.Latest;

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeRoleCompleter))]
    public string[] Role { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateKey { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Taint { get; set; } = [];

    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ForceRequested => Force.IsPresent;

    protected override void ProcessRecord()
    {
        NewNodeRequest request;
        try
        {
            request = new NewNodeRequest
            {
                Name = Name,
                Ssh = new SshTarget(Address, Port, SshUserFor()),
                Engine = new EngineTarget(EngineSource, EngineVersion, ContainerdVersion),
                EngineInstallUrl = EngineInstallUrl,
                Runtime = RuntimeTarget.Create(ContainerRuntime, CriDockerdPackage is null ? null : ResolvedCriDockerdPackage(CriDockerdPackage)),
                EngineConfig = EngineConfig?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value is PSObject o ? o.BaseObject : e.Value),
                KubernetesVersion = KubernetesVersion,
                Roles = Role,
                Labels = ParameterMaps.Strings(Label),
                Taints = Taint.Select(NodeRecord.ParseTaint).ToArray(),
                Timeout = Timeout,
                CertificateKey = CertificateKey,
            };
            // Everything the API server or the host would refuse is refused here, before the host is contacted.
            NodeMetadataValidation.Require(request.Name, request.Roles, request.Labels, request.Taints);
            KubeadmCluster.RequireCertificateKeyForm(request);
            PackageVersions.RequireVersionRequest(EngineVersion, nameof(EngineVersion));
            PackageVersions.RequireVersionRequest(KubernetesVersion, nameof(KubernetesVersion));
            if (ContainerdVersion is not null)
            {
                PackageVersions.RequireVersionRequest(ContainerdVersion, nameof(ContainerdVersion));
            }
            if (EngineInstallUrl is not null)
            {
                EngineInstallScript.RequireTrustedTransport(EngineInstallUrl);
            }
        }
        catch (ClusterException e)
        {
            WriteErrorRecord(ErrorRecords.From(e));
            return;
        }

        var plan = NodeProvisioner.Plan(request);
        var text = string.Join(Environment.NewLine, plan.Select((s, i) => $"  {i + 1}. {s}"));
        if (!ShouldProcessChange(Name, $"Add node ({Address}:{Port}):{Environment.NewLine}{text}{Environment.NewLine}"))
        {
            return;
        }

        Run(async (writer, ct) =>
        {
            var connection = Connect();
            using var group = writer.Group($"Add node {Name}");
            writer.Object(await new NodeProvisioner(connection, Connector(connection, writer), writer).RunAsync(request, ct).ConfigureAwait(false));
        });
    }

    /// <summary>A file path is relative to the current PowerShell location, not to the process's directory; a package name stays as it is.</summary>
    private string ResolvedCriDockerdPackage(string package) =>
        new RuntimeTarget(ContainerRuntimeKind.Docker, package).CriDockerdIsFile ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(package) : package;

    private string SshUserFor() =>
        SshUser ?? (Credential?.UserName is { Length: > 0 } name ? name : null)
        ?? (Environment.GetEnvironmentVariable(SshCredential.UserVariable) is { Length: > 0 } variable ? variable : Environment.UserName);
}
