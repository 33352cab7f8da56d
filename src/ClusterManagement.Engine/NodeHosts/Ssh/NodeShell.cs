using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace ClusterManagement.NodeHosts.Ssh;

/// <summary>
/// One verified SSH connection to a node host. Commands run with a bounded timeout; privileged
/// ones through <c>sudo -n</c>, so a host that wants a sudo password fails at once instead of
/// hanging a pipeline.
/// </summary>
public sealed partial class NodeShell : IDisposable
{
    private readonly SshClient client;
    private readonly ConnectionInfo connection;

    private NodeShell(SshTarget target, SshClient client, ConnectionInfo connection, string hostKeyFingerprint)
    {
        Target = target;
        this.client = client;
        this.connection = connection;
        HostKeyFingerprint = hostKeyFingerprint;
    }

    public SshTarget Target { get; }

    /// <summary>The verified host key, SHA256:..., as recorded on the Node for the next admin.</summary>
    public string HostKeyFingerprint { get; }

    /// <summary>
    /// SSH.NET waits synchronously inside a connection (key exchange, channel requests), holding a pool
    /// thread per node. With the pool's default minimum of one thread per core, nodes worked on at once
    /// queued behind its slow thread injection, and probing eight nodes together took longer than one
    /// after another. The pool may start as many threads as -ThrottleLimit allows right away.
    /// </summary>
    private static readonly Lazy<bool> PoolSized = new(() =>
    {
        const int MostNodesAtOnce = 64;
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        return workers >= MostNodesAtOnce * 2 || ThreadPool.SetMinThreads(MostNodesAtOnce * 2, completionPorts);
    });

    public static async Task<NodeShell> ConnectAsync(
        SshTarget target,
        SshCredential credential,
        HostKeyPolicy hostKeys,
        TimeSpan connectTimeout,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        _ = PoolSized.Value;
        var connection = new ConnectionInfo(target.Host, target.Port, target.User, Authentication(target, credential)) { Timeout = connectTimeout };
        var client = new SshClient(connection);
        ClusterException? rejected = null;
        string? fingerprint = null;
        client.HostKeyReceived += (_, e) =>
        {
            try
            {
                var verdict = hostKeys.Verify(target.Host, target.Port, e.HostKeyName, e.HostKey);
                fingerprint = SshFingerprint.Of(e.HostKey);
                log.Verbose($"Host key of {target} ({fingerprint}): {verdict}.");
                e.CanTrust = true;
            }
            catch (Exception error)
            {
                // Anything that keeps the key from being checked or recorded refuses the host: an
                // exception escaping this handler would leave the trust decision to the library.
                rejected = error as ClusterException ?? new ClusterException(
                    ClusterErrorKind.OperationFailed, "KnownHostsUnavailable", $"The host key of {target} could not be checked against known_hosts: {error.Message}", target.Host, error);
                e.CanTrust = false;
            }
        };

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout);
            await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            return new NodeShell(target, client, connection, fingerprint!);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw rejected ?? Translate(e, target, connectTimeout);
        }
    }

    /// <summary>
    /// How long a command may take to end after its deadline. Cancelling an exec channel only asks
    /// the server to signal the process, and a process under sudo may never see that signal, so the
    /// channel is abandoned rather than awaited forever.
    /// </summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    public async Task<CommandResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken, string? standardInput = null)
    {
        using var ssh = client.CreateCommand(command);
        ssh.CommandTimeout = timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Task execution = Task.CompletedTask;
        try
        {
            execution = ssh.ExecuteAsync(deadline.Token);
            if (standardInput is not null)
            {
                using var input = ssh.CreateInputStream();
                var bytes = Encoding.UTF8.GetBytes(standardInput);
                await input.WriteAsync(bytes, deadline.Token).ConfigureAwait(false);
            }

            await execution.WaitAsync(deadline.Token).ConfigureAwait(false);
            return new CommandResult(ssh.ExitStatus ?? -1, ssh.Result, ssh.Error);
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAny(execution, Task.Delay(CancelGrace, CancellationToken.None)).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw CommandTimedOut(command, timeout);
        }
        catch (Exception e) when (e is SshException or SocketException or IOException)
        {
            throw Translate(e, Target, timeout);
        }
    }

    /// <summary>
    /// Runs a shell script as root through sudo -n; a password prompt is an error. The script also
    /// runs under the node's own timeout(1), so a command that outlives the deadline is ended on the
    /// node too instead of living on after the cmdlet gave up on it.
    /// </summary>
    public async Task<CommandResult> SudoAsync(string script, TimeSpan timeout, CancellationToken cancellationToken, string? standardInput = null)
    {
        var seconds = (long)Math.Ceiling(timeout.TotalSeconds);
        var result = await RunAsync($"sudo -n timeout -k 5 {seconds} sh -c " + Quote(script), timeout + CancelGrace + CancelGrace, cancellationToken, standardInput).ConfigureAwait(false);
        if (result.ExitCode != 0 && result.Error.Contains("a password is required", StringComparison.Ordinal))
        {
            throw new ClusterException(
                ClusterErrorKind.Forbidden,
                "SudoPasswordRequired",
                $"sudo on {Target} asks for a password. The module runs sudo -n and never answers prompts: give {Target.User} NOPASSWD sudo for the commands it needs.",
                Target.Host);
        }

        // timeout(1) exits 124 when it ended the command, 137 when it had to kill it.
        if (result.ExitCode is 124 or 137)
        {
            throw CommandTimedOut(script, timeout);
        }

        return result;
    }

    private ClusterException CommandTimedOut(string command, TimeSpan timeout) => new(
        ClusterErrorKind.Timeout,
        "NodeCommandTimeout",
        $"'{FirstLine(command)}' on {Target} did not finish within {timeout}.",
        Target.Host);

    /// <summary>Runs a script as root and fails with its own error output when it fails.</summary>
    public async Task<string> SudoCheckedAsync(string script, TimeSpan timeout, string what, CancellationToken cancellationToken, string? standardInput = null)
    {
        var result = await SudoAsync(script, timeout, cancellationToken, standardInput).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterException(
                ClusterErrorKind.OperationFailed,
                "NodeCommandFailed",
                $"{what} failed on {Target} (exit code {result.ExitCode}): {Tail(result.Error.Length > 0 ? result.Error : result.Output)}",
                Target.Host);
        }

        return result.Output;
    }

    /// <summary>Writes a root-owned file atomically: the content goes through stdin, never through the command line.</summary>
    public Task WriteFileAsync(string path, string content, string mode, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!.Replace('\\', '/');
        var script = $"set -e; mkdir -p {Quote(directory)}; tmp=$(mktemp {Quote(path)}.XXXXXX); cat > \"$tmp\"; chmod {mode} \"$tmp\"; mv -f \"$tmp\" {Quote(path)}";
        return SudoCheckedAsync(script, timeout, $"Writing {path}", cancellationToken, content);
    }

    /// <summary>
    /// A new directory only root can use (mktemp -d, 0700) for a root command's files: a fixed or
    /// guessable name under /tmp is one another local user can create first or point a symlink at.
    /// </summary>
    public async Task<string> TemporaryDirectoryAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = (await SudoCheckedAsync("mktemp -d", timeout, "mktemp -d", cancellationToken).ConfigureAwait(false)).Trim();
        return TemporaryPath().IsMatch(path)
            ? path
            : throw new ClusterException(ClusterErrorKind.OperationFailed, "NodeCommandFailed", $"mktemp -d on {Target} printed '{Printable(path)}', not a plain absolute path.", Target.Host);
    }

    /// <summary>Copies a file the login user can read to the local machine.</summary>
    public async Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken)
    {
        using var sftp = new SftpClient(connection);
        await sftp.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var local = File.Create(localPath);
        await Task.Run(() => sftp.DownloadFile(remotePath, local), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Forwards a local loopback port to <paramref name="remoteHost"/>:<paramref name="remotePort"/> as seen
    /// from the node, so the engine API is reached through the verified SSH connection and never over plain TCP.
    /// </summary>
    public SshTunnel OpenTunnel(string remoteHost, int remotePort)
    {
        var forward = new ForwardedPortLocal("127.0.0.1", 0, remoteHost, (uint)remotePort);
        client.AddForwardedPort(forward);
        try
        {
            forward.Start();
        }
        catch (Exception e) when (e is SshException or SocketException)
        {
            client.RemoveForwardedPort(forward);
            forward.Dispose();
            throw new ClusterException(ClusterErrorKind.Unreachable, "TunnelFailed", $"Cannot open an SSH tunnel to {remoteHost}:{remotePort} on {Target}: {e.Message}", Target.Host, e);
        }

        return new SshTunnel(client, forward);
    }

    public void Dispose() => client.Dispose();

    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A value from or for a node as a message shows it: control characters (a newline in a name) made visible.</summary>
    public static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));

    internal static string Tail(string text, int lines = 12)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>The first line that says what a script does, past its shell options.</summary>
    private static string FirstLine(string command)
    {
        var line = command.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("set -", StringComparison.Ordinal)) ?? command.Trim();
        return line.Length > 80 ? line[..80] + "..." : line;
    }

    [GeneratedRegex(@"^/[A-Za-z0-9._/-]+\z")]
    private static partial Regex TemporaryPath();

    private static AuthenticationMethod[] Authentication(SshTarget target, SshCredential credential)
    {
        var methods = new List<AuthenticationMethod>();
        if (credential.KeyPath is not null)
        {
            try
            {
                var key = credential.KeyPassphrase is null ? new PrivateKeyFile(credential.KeyPath) : new PrivateKeyFile(credential.KeyPath, credential.KeyPassphrase);
                methods.Add(new PrivateKeyAuthenticationMethod(target.User, key));
            }
            catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException)
            {
                // The key's content never goes into the message, only its path.
                throw new ClusterException(
                    ClusterErrorKind.ConfigurationInvalid,
                    "SshKeyUnreadable",
                    $"The SSH private key '{credential.KeyPath}' cannot be used: {e.Message}",
                    credential.KeyPath,
                    e);
            }
        }

        if (credential.Password is not null)
        {
            methods.Add(new PasswordAuthenticationMethod(target.User, credential.Password));
        }

        if (methods.Count == 0)
        {
            throw new ClusterException(
                ClusterErrorKind.ConfigurationInvalid,
                "SshCredentialMissing",
                $"No SSH credential for {target}: pass -SshKeyPath or -Credential, or set ${SshCredential.KeyPathVariable}.");
        }

        return [.. methods];
    }

    private static ClusterException Translate(Exception e, SshTarget target, TimeSpan timeout) => e switch
    {
        SshAuthenticationException => new ClusterException(
            ClusterErrorKind.Unauthorized, "SshAuthenticationFailed", $"{target} did not accept the SSH credential: {e.Message}", target.Host, e),
        SshOperationTimeoutException or OperationCanceledException => new ClusterException(
            ClusterErrorKind.Timeout, "NodeUnreachable", $"{target} did not answer SSH within {timeout}.", target.Host, e),
        SocketException or SshConnectionException or IOException => new ClusterException(
            ClusterErrorKind.Unreachable, "NodeUnreachable", $"Cannot reach {target} over SSH: {e.Message}", target.Host, e),
        _ => new ClusterException(ClusterErrorKind.OperationFailed, "SshFailed", $"SSH to {target} failed: {e.Message}", target.Host, e),
    };
}
