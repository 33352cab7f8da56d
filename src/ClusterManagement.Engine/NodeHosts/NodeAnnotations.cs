using ClusterManagement.NodeHosts;
namespace ClusterManagement.Engine.NodeHosts;

/// <summary>
/// Annotations the module writes on Nodes. Host access data no longer lives here (a node's kubelet can
/// rewrite its own Node): it is in <see cref="NodeAccessRecords"/>. The ssh-* annotations earlier
/// versions wrote are read only to find such a node's host once, never to trust its key, and
/// New-ClusterNode removes them with the old engine endpoint.
/// </summary>
internal static class NodeAnnotations
{
    public const string Prefix = "clustermanagement.io/";
    public const string SshHost = Prefix + "ssh-host";
    public const string SshPort = Prefix + "ssh-port";
    public const string SshUser = Prefix + "ssh-user";
    public const string SshHostKey = Prefix + "ssh-host-key";

    /// <summary>Where versions that gave the engine a TCP listener recorded it; nothing reads it now.</summary>
    public const string EngineEndpoint = Prefix + "engine-endpoint";

    public static readonly string[] Legacy = [SshHost, SshPort, SshUser, SshHostKey, EngineEndpoint];
}
