using ClusterManagement.NodeHosts;
namespace ClusterManagement.Engine.NodeHosts.Ssh;

/// <summary>Where a node's SSH server is and whom to log in as.</summary>
internal sealed record SshTarget(string Host, int Port, string User)
{
    public override string ToString() => $"{User}@{KnownHosts.HostPattern(Host, Port)}";
}

/// <summary>
/// How to authenticate. Secrets stay in memory only; nothing here is ever written to an output
/// stream or a log.
/// </summary>
internal sealed record SshCredential(string? KeyPath, string? KeyPassphrase = null, string? Password = null)
{
    /// <summary>Environment variables for pipelines, where secrets arrive through `env:`.</summary>
    public const string UserVariable = "CLUSTERMANAGEMENT_SSH_USER";
    public const string KeyPathVariable = "CLUSTERMANAGEMENT_SSH_KEY_PATH";
    public const string KeyPassphraseVariable = "CLUSTERMANAGEMENT_SSH_KEY_PASSPHRASE";

    public override string ToString() => KeyPath is null ? "password" : $"key {KeyPath}";
}

internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
