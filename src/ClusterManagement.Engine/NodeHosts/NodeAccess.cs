using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;
using ClusterManagement.Nodes;

namespace ClusterManagement.NodeHosts;

/// <summary>How the caller wants to reach node hosts; secrets stay in memory and never reach a log.</summary>
public sealed class NodeAccessOptions
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

/// <summary>Where one node's host is, as recorded on its Node (or derived from its InternalIP).</summary>
public sealed record NodeEndpoint(string NodeName, SshTarget Ssh, string? RecordedHostKey)
{
    public static NodeEndpoint For(ClusterNode node, NodeAccessOptions access)
    {
        var annotations = node.Annotations;
        var host = annotations.GetValueOrDefault(NodeAnnotations.SshHost) ?? node.InternalIP ?? node.ExternalIP
            ?? throw new ClusterException(ClusterErrorKind.ConfigurationInvalid, "NodeAddressMissing",
                $"Node {node.Name} has no {NodeAnnotations.SshHost} annotation and no InternalIP: the module does not know where its host is.", node.Name);
        var port = int.TryParse(annotations.GetValueOrDefault(NodeAnnotations.SshPort), out var p) ? p : 22;
        var user = access.User ?? annotations.GetValueOrDefault(NodeAnnotations.SshUser) ?? Environment.UserName;
        return new NodeEndpoint(node.Name, new SshTarget(host, port, user), annotations.GetValueOrDefault(NodeAnnotations.SshHostKey));
    }
}

/// <summary>Opens verified SSH connections to node hosts.</summary>
public sealed class NodeConnector(NodeAccessOptions access, IOperationLog log)
{
    public NodeAccessOptions Access => access;

    public async Task<NodeShell> ConnectAsync(NodeEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (!access.HasCredential)
        {
            throw new ClusterException(
                ClusterErrorKind.ConfigurationInvalid,
                "SshCredentialMissing",
                $"No SSH credential for {endpoint.Ssh}: pass -SshKeyPath or -Credential, or set ${SshCredential.KeyPathVariable}.",
                endpoint.NodeName);
        }

        var policy = new HostKeyPolicy(new KnownHosts(access.KnownHostsPath), access.AcceptNewHostKey, endpoint.RecordedHostKey);
        return await NodeShell.ConnectAsync(endpoint.Ssh, access.Credential, policy, access.ConnectTimeout, log, cancellationToken).ConfigureAwait(false);
    }
}
