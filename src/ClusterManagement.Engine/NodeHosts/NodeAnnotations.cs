namespace ClusterManagement.NodeHosts;

/// <summary>
/// Where the module keeps a node's access data: on the Node itself, so a second admin or a
/// pipeline reaches the host without anyone's local files (docker-machine issue #23).
/// </summary>
public static class NodeAnnotations
{
    public const string Prefix = "clustermanagement.io/";
    public const string SshHost = Prefix + "ssh-host";
    public const string SshPort = Prefix + "ssh-port";
    public const string SshUser = Prefix + "ssh-user";
    public const string SshHostKey = Prefix + "ssh-host-key";

    public static readonly string[] All = [SshHost, SshPort, SshUser, SshHostKey];
}
