using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace ClusterManagement.Engine.NodeHosts.Ssh;

/// <summary>
/// One verified SSH connection to a node host. Commands run with a bounded timeout; privileged
/// ones through <c>sudo -n</c>, so a host that wants a sudo password fails at once instead of
/// hanging a pipeline. This is the only place the module opens an SSH client, and every channel
/// (commands, file reads, tunnels) runs over the connection whose host key the policy accepted:
/// SSH.NET trusts any key unless told otherwise, so a second client would be a second, unchecked door.
/// </summary>
internal sealed class NodeShell : IDisposable
{
    private readonly SshClient client;

    private NodeShell(SshTarget target, SshClient client, string hostKeyFingerprint)
    {
        Target = target;
        this.client = client;
        HostKeyFingerprint = hostKeyFingerprint;
    }

    public SshTarget Target { get; }

    /// <summary>The verified host key, SHA256:..., as recorded in the access object for the next admin.</summary>
    public string HostKeyFingerprint { get; }

    /// <summary>
    /// SSH.NET waits synchronously inside a connection (authentication, opening a channel, the exec
    /// request, reading a command's output) for replies its own listener thread receives. Such a call
    /// runs here on a thread of its own, started for it and gone with it, never on the thread pool: a
    /// pool thread held per node starves the pool (one thread per core at first, then slow injection),
    /// so nodes worked on at once queued behind each other, and raising the pool's minimum instead
    /// would change the thread pool of whatever host process the module is loaded into. The number of
    /// such threads is bounded by the nodes an operation works on at once (-ThrottleLimit) and their channels.
    /// </summary>
    internal static Task<T> OffPool<T>(Func<T> blockingCall) =>
        Task.Factory.StartNew(blockingCall, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    public static async Task<NodeShell> ConnectAsync(
        SshTarget target,
        SshCredential credential,
        HostKeyPolicy hostKeys,
        TimeSpan connectTimeout,
        IOperationLog log,
        CancellationToken cancellationToken)
    {
        log.Verbose($"Connecting to {target}.");
        var connection = new ConnectionInfo(target.Host, target.Port, target.User, Authentication(target, credential)) { Timeout = connectTimeout };

        // known_hosts pins plain keys; a host certificate offered instead would be compared as if it
        // were one and refused as a changed key. Asking for plain keys only keeps the comparison true.
        foreach (var certificate in connection.HostKeyAlgorithms.Keys.Where(k => k.Contains("-cert-v01@", StringComparison.Ordinal)).ToList())
        {
            connection.HostKeyAlgorithms.Remove(certificate);
        }

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
                rejected = error as ClusterException ?? new ClusterException(ClusterErrors.KnownHostsUnavailable, $"The host key of {target} could not be checked against known_hosts: {error.Message}", target.Host, error);
                e.CanTrust = false;
            }
        };

        try
        {
            // Connect, not ConnectAsync: the latter returns to the pool after its first await and then
            // authenticates there synchronously. The connection's own Timeout bounds every wait inside it.
            await OffPool(() =>
            {
                client.Connect();
                return true;
            }).WaitAsync(connectTimeout, cancellationToken).ConfigureAwait(false);
            return new NodeShell(target, client, fingerprint!);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw rejected ?? Translate(e, target, connectTimeout);
        }
        catch (OperationCanceledException)
        {
            // Disposing ends the abandoned connect on its own thread.
            client.Dispose();
            throw;
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
        await ExecuteAsync(ssh, timeout, async token =>
        {
            if (standardInput is not null)
            {
                using var input = ssh.CreateInputStream();
                await input.WriteAsync(Encoding.UTF8.GetBytes(standardInput), token).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return new CommandResult(ssh.ExitStatus ?? -1, ssh.Result, ssh.Error);
    }

    /// <summary>
    /// Streams a file only root may read into <paramref name="destination"/> over an exec channel of
    /// this connection, byte for byte (no text decoding), and returns the SHA-256 of what arrived so
    /// the caller can compare it with the node's own.
    /// </summary>
    public async Task<string> SudoReadFileAsync(string remotePath, Stream destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var ssh = client.CreateCommand($"sudo -n cat -- {Quote(remotePath)}");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await ExecuteAsync(ssh, timeout, async token =>
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await OffPool(() => ssh.OutputStream.Read(buffer, 0, buffer.Length)).WaitAsync(token).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                try
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // A full local disk is not an SSH failure, which is what an IOException here would be taken for.
                    throw new ClusterException(ClusterErrors.LocalWriteFailed, $"Writing {remotePath} from {Target} to a local file failed: {e.Message}", Target.Host, e);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        if (ssh.ExitStatus != 0)
        {
            throw new ClusterException(ClusterErrors.NodeCommandFailed, $"Reading {remotePath} failed on {Target} (exit code {ssh.ExitStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ssh.ExitSignal ?? "none"}): {Tail(ssh.Error)}",
                Target.Host);
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>Runs a command on its own exec channel; <paramref name="whileRunning"/> feeds or drains it.</summary>
    private async Task ExecuteAsync(SshCommand ssh, TimeSpan timeout, Func<CancellationToken, Task> whileRunning, CancellationToken cancellationToken)
    {
        ssh.CommandTimeout = timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Task execution = Task.CompletedTask;
        try
        {
            execution = await OffPool(() => ssh.ExecuteAsync(deadline.Token)).WaitAsync(deadline.Token).ConfigureAwait(false);
            await whileRunning(deadline.Token).ConfigureAwait(false);
            await execution.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAny(execution, Task.Delay(CancelGrace, CancellationToken.None)).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw CommandTimedOut(ssh.CommandText, timeout);
        }
        catch (Exception e) when (e is SshConnectionException or SocketException or IOException)
        {
            throw ConnectionLost(ssh.CommandText, e);
        }
        catch (SshException e)
        {
            throw Translate(e, Target, timeout);
        }
    }

    /// <summary>
    /// A connection that drops under a running command leaves that command's outcome unknown: the error
    /// names the command, so the caller can say what may be half-done.
    /// </summary>
    private ClusterException ConnectionLost(string command, Exception e) => new(
        ClusterErrors.NodeConnectionLost,
        $"The SSH connection to {Target} was lost while running '{FirstLine(command)}': {e.Message}",
        Target.Host,
        e);

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
            throw new ClusterException(ClusterErrors.SudoPasswordRequired, $"sudo on {Target} asks for a password. The module runs sudo -n and never answers prompts: give {Target.User} NOPASSWD sudo for the commands it needs.",
                Target.Host);
        }

        // timeout(1) exits 124 when it ended the command, 137 when it had to kill it.
        if (result.ExitCode is 124 or 137)
        {
            throw CommandTimedOut(script, timeout);
        }

        return result;
    }

    private ClusterException CommandTimedOut(string command, TimeSpan timeout) => new(ClusterErrors.NodeCommandTimeout, $"'{FirstLine(command)}' on {Target} did not finish within {timeout}.",
        Target.Host);

    /// <summary>Runs a script as root and fails with its own error output when it fails.</summary>
    public async Task<string> SudoCheckedAsync(string script, TimeSpan timeout, string what, CancellationToken cancellationToken, string? standardInput = null)
    {
        var result = await SudoAsync(script, timeout, cancellationToken, standardInput).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterException(ClusterErrors.NodeCommandFailed, $"{what} failed on {Target} (exit code {result.ExitCode}): {Tail(result.Error.Length > 0 ? result.Error : result.Output)}",
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
    /// Starts <paramref name="command"/> on its own exec channel of this verified connection and returns
    /// its stdin and stdout as one stream; nothing listens on either machine. Opening the channel waits
    /// for the server, so it runs on a thread of its own (<see cref="OffPool"/>) and gives up with <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<Stream> OpenStreamAsync(string command, CancellationToken cancellationToken)
    {
        var ssh = client.CreateCommand(command);
        var opening = OffPool(() =>
        {
            var execution = ssh.ExecuteAsync(CancellationToken.None);
            return (Stream)new ExecChannelStream(ssh, execution, ssh.CreateInputStream(), Target);
        });
        try
        {
            return await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The channel may still open after the caller gave up: close it once it does.
            _ = opening.ContinueWith(
                t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        t.Result.Dispose();
                    }
                    else
                    {
                        ssh.Dispose();
                    }
                },
                TaskScheduler.Default);
            throw;
        }
        catch (Exception e) when (e is SshException or SocketException or IOException or InvalidOperationException)
        {
            ssh.Dispose();
            throw Translate(e, Target, client.ConnectionInfo.Timeout);
        }
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
                throw new ClusterException(ClusterErrors.SshKeyUnreadable, $"The SSH private key '{credential.KeyPath}' cannot be used: {e.Message}",
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
            throw new ClusterException(ClusterErrors.SshCredentialMissing, $"No SSH credential for {target}: pass -SshKeyPath or -Credential, or set ${SshCredential.KeyPathVariable}.");
        }

        return [.. methods];
    }

    private static ClusterException Translate(Exception e, SshTarget target, TimeSpan timeout) => e switch
    {
        SshAuthenticationException => new ClusterException(ClusterErrors.SshAuthenticationFailed, $"{target} did not accept the SSH credential: {e.Message}", target.Host, e),
        SshOperationTimeoutException or OperationCanceledException or TimeoutException => new ClusterException(ClusterErrors.NodeResponseTimeout, $"{target} did not answer SSH within {timeout}.", target.Host, e),
        SocketException or SshConnectionException or IOException => new ClusterException(ClusterErrors.NodeUnreachable, $"Cannot reach {target} over SSH: {e.Message}", target.Host, e),
        _ => new ClusterException(ClusterErrors.SshFailed, $"SSH to {target} failed: {e.Message}", target.Host, e),
    };
}
