using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts;

/// <summary>How the caller wants to reach node hosts; secrets stay in memory and never reach a log.</summary>
internal sealed class NodeAccessOptions
{
    public string? User { get; init; }
    public string? KeyPath { get; init; }
    public string? KeyPassphrase { get; init; }
    public string? Password { get; init; }
    public string KnownHostsPath { get; init; } = KnownHosts.DefaultPath;
    public bool AcceptNewHostKey { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fills what the caller did not give from the CLUSTERMANAGEMENT_SSH_* variables (pipelines pass secrets through env:).</summary>
    public static NodeAccessOptions FromEnvironment(
        string? user, string? keyPath, string? password, string? knownHostsPath, bool acceptNewHostKey, TimeSpan? connectTimeout) => new()
    {
        User = user ?? Variable(SshCredential.UserVariable),
        KeyPath = keyPath ?? Variable(SshCredential.KeyPathVariable),
        KeyPassphrase = Variable(SshCredential.KeyPassphraseVariable),
        Password = password,
        KnownHostsPath = knownHostsPath ?? KnownHosts.DefaultPath,
        AcceptNewHostKey = acceptNewHostKey,
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
    };

    public SshCredential Credential => new(KeyPath, KeyPassphrase, Password);

    public bool HasCredential => KeyPath is not null || Password is not null;

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}

/// <summary>
/// Where one node's host is. RecordedHostKey comes only from the module's access object
/// (<see cref="NodeAccessRecords"/>), never from the Node; <see cref="FromNodeAnnotations"/> marks a
/// node joined by an earlier version of the module, whose address hints are still on the Node.
/// </summary>
internal sealed record NodeEndpoint(string NodeName, SshTarget Ssh, string? RecordedHostKey)
{
    public bool FromNodeAnnotations { get; init; }

    /// <summary>
    /// A node has host access data when the access object has its entry or, for a node joined before
    /// that object existed, its Node carries the ssh-host annotation. Its addresses (InternalIP,
    /// ExternalIP) are not access data: they say where the kubelet is, not which SSH server to trust,
    /// and an emulated or foreign node's address may lead anywhere.
    /// </summary>
    public static NodeEndpoint For(ClusterNode node, NodeAccessOptions access, NodeAccessRecord? record)
    {
        var annotations = node.Annotations;
        if (record is not null)
        {
            return new NodeEndpoint(node.Name, new SshTarget(record.Host, record.Port, access.User ?? record.User), record.HostKey);
        }

        // Written by the node's own kubelet as easily as by an admin: where to connect, never whom to trust.
        if (annotations.GetValueOrDefault(NodeAnnotations.SshHost) is { Length: > 0 } host)
        {
            var port = int.TryParse(annotations.GetValueOrDefault(NodeAnnotations.SshPort), out var p) && p is > 0 and < 65536 ? p : 22;
            var user = access.User ?? annotations.GetValueOrDefault(NodeAnnotations.SshUser) ?? Environment.UserName;
            return new NodeEndpoint(node.Name, new SshTarget(host, port, user), null) { FromNodeAnnotations = true };
        }

        throw new ClusterException(ClusterErrors.NodeHostAccessMissing, $"Node {node.Name} has no host access data: it has no entry in {NodeAccessRecords.Namespace}/{NodeAccessRecords.Name}, so the module does not know " +
            "which SSH server is its host. Nodes get access data when New-ClusterNode adds them (run it again for a node that was joined otherwise); " +
            "the Node's own addresses are not used.",
            node.Name);
    }
}

/// <summary>Opens verified SSH connections to node hosts, finding them through the module's access object.</summary>
internal sealed class NodeConnector
{
    private readonly ClusterConnection connection;
    private readonly NodeAccessOptions access;
    private readonly IOperationLog log;
    private readonly Lazy<Task<IReadOnlyDictionary<string, string>>> records;

    public NodeConnector(ClusterConnection connection, NodeAccessOptions access, IOperationLog log)
    {
        this.connection = connection;
        this.access = access;
        this.log = log;
        // Read once per cmdlet run: every node worked on comes from the same snapshot.
        records = new(() => new NodeAccessRecords(connection).ReadAsync(CancellationToken.None));
    }

    public async Task<NodeEndpoint> EndpointAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        var all = await records.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return NodeEndpoint.For(node, access, all.TryGetValue(node.Name, out var json) ? NodeAccessRecord.Parse(node.Name, json) : null);
    }

    public async Task<NodeShell> ConnectAsync(ClusterNode node, CancellationToken cancellationToken) =>
        await ConnectAsync(await EndpointAsync(node, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<NodeShell> ConnectAsync(NodeEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (!access.HasCredential)
        {
            throw new ClusterException(ClusterErrors.SshCredentialMissing, $"No SSH credential for {endpoint.Ssh}: pass -SshKeyPath or -Credential, or set ${SshCredential.KeyPathVariable}.",
                endpoint.NodeName);
        }

        var policy = new HostKeyPolicy(new KnownHosts(access.KnownHostsPath), access.AcceptNewHostKey, endpoint.RecordedHostKey);
        var shell = await NodeShell.ConnectAsync(endpoint.Ssh, access.Credential, policy, access.ConnectTimeout, log, cancellationToken).ConfigureAwait(false);
        if (endpoint.FromNodeAnnotations)
        {
            await MigrateAsync(endpoint, shell, cancellationToken).ConfigureAwait(false);
        }

        return shell;
    }

    /// <summary>
    /// Moves a node joined by an earlier version into the access object. The host key recorded is the
    /// one this connection verified against known_hosts or accepted with -AcceptNewHostKey, never the
    /// one on the Node. A caller without write access (a read-only pipeline) leaves it for later.
    /// </summary>
    private async Task MigrateAsync(NodeEndpoint endpoint, NodeShell shell, CancellationToken cancellationToken)
    {
        var record = new NodeAccessRecord(endpoint.Ssh.Host, endpoint.Ssh.Port, endpoint.Ssh.User, shell.HostKeyFingerprint);
        try
        {
            await new NodeAccessRecords(connection).SetAsync(endpoint.NodeName, record, cancellationToken).ConfigureAwait(false);
            log.Verbose($"{endpoint.NodeName}: recorded its access data ({endpoint.Ssh}, {shell.HostKeyFingerprint}) in {NodeAccessRecords.Namespace}/{NodeAccessRecords.Name}.");
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.Forbidden or ClusterErrorKind.Unauthorized)
        {
            log.Verbose($"{endpoint.NodeName}: its access data stays unrecorded ({e.Message}).");
        }
    }
}
