using System.Collections;
using System.Management.Automation;
using ClusterManagement.Diagnostics;
using ClusterManagement.Infrastructure;
using ClusterManagement.NodeHosts.Engine;
using ClusterManagement.NodeHosts.Join;
using ClusterManagement.NodeHosts.Packages;
using ClusterManagement.NodeHosts.Ssh;
using ClusterManagement.Nodes;

namespace ClusterManagement.NodeHosts;

[Cmdlet(VerbsCommon.New, "ClusterNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClusterNode))]
public sealed class NewClusterNodeCommand : NodeHostCmdlet
{
    /// <summary>
    /// <para type="description">The name of the new Node (kubeadm join --node-name).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The host's address (name or IP) for SSH.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The host's SSH port. Default: 22.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SshPort")]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 22;

    /// <summary>
    /// <para type="description">The engine version to install and hold: a prefix ("20.10", "27.5.1"), a full package version, or "latest". Default: latest.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string EngineVersion { get; set; } = PackageVersions.Latest;

    /// <summary>
    /// <para type="description">Distribution (docker.io, containerd, runc) or DockerCE (docker-ce, docker-ce-cli, containerd.io from Docker's repository, which must be configured on the host).</para>
    /// </summary>
    [Parameter]
    public EngineSource EngineSource { get; set; } = EngineSource.Distribution;

    /// <summary>
    /// <para type="description">A script that sets up the engine's package source on a host that has no engine yet, as docker-machine's --engine-install-url did (for example https://get.docker.com with -EngineSource DockerCE). It is fetched on this machine (https, or http to a loopback address), run as root on the host with VERSION set to -EngineVersion, and skipped when the engine package is already installed; the packages are then pinned and held as usual.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? EngineInstallUrl { get; set; }

    /// <summary>
    /// <para type="description">Also pins containerd (a prefix or full package version) and holds it.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ContainerdVersion { get; set; }

    /// <summary>
    /// <para type="description">Written as /etc/docker/daemon.json before the engine is installed, so its first start already uses it (for example @{ bridge = 'none'; iptables = $false }). Default: the host's own daemon.json is left alone.</para>
    /// </summary>
    [Parameter]
    public Hashtable? EngineConfig { get; set; }

    /// <summary>
    /// <para type="description">The kubelet and kubeadm version (a prefix or "latest") from the host's package sources.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string KubernetesVersion { get; set; } = PackageVersions.Latest;

    /// <summary>
    /// <para type="description">Roles, as node-role.kubernetes.io/ROLE labels.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Role { get; set; } = [];

    /// <summary>
    /// <para type="description">Labels to set on the Node.</para>
    /// </summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>
    /// <para type="description">Taints, as kubectl writes them: key[=value]:NoSchedule|PreferNoSchedule|NoExecute.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Taint { get; set; } = [];

    /// <summary>
    /// <para type="description">How long the join may take until the Node is Ready. Seconds or a TimeSpan. Default: 10 minutes.</para>
    /// </summary>
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <para type="description">Does not ask for confirmation.</para>
    /// </summary>
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
                EngineConfig = EngineConfig?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value is PSObject o ? o.BaseObject : e.Value),
                KubernetesVersion = KubernetesVersion,
                Roles = Role,
                Labels = ParameterMaps.Strings(Label),
                Taints = Taint.Select(NodeRecord.ParseTaint).ToArray(),
                Timeout = Timeout,
            };
            // Everything the API server or the host would refuse is refused here, before the host is contacted.
            NodeMetadataValidation.Require(request.Name, request.Roles, request.Labels, request.Taints);
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
            writer.Object(await new NodeProvisioner(connection, Connector(writer), writer).RunAsync(request, ct).ConfigureAwait(false));
        });
    }

    private string SshUserFor() =>
        SshUser ?? (Credential?.UserName is { Length: > 0 } name ? name : null)
        ?? (Environment.GetEnvironmentVariable(SshCredential.UserVariable) is { Length: > 0 } variable ? variable : Environment.UserName);
}
