using Renci.SshNet;

using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Ssh;

/// <summary>
/// A command's stdin and stdout on one SSH exec channel as a single two-way stream, for commands
/// that relay a connection (docker system dial-stdio). Disposing it closes stdin and the channel.
/// </summary>
internal sealed class ExecChannelStream : Stream
{
    /// <summary>How long the command may take to report its exit status once its output has ended.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly SshCommand command;
    private readonly Task execution;
    private readonly Stream input;
    private readonly SshTarget target;
    private int disposed;

    internal ExecChannelStream(SshCommand command, Task execution, Stream input, SshTarget target)
    {
        this.command = command;
        this.execution = execution;
        this.input = input;
        this.target = target;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // SSH.NET's output pipe blocks a thread until data arrives and ignores the token: the read
        // blocks a thread of its own, not a pool thread; WaitAsync lets the HTTP client give up on it,
        // and disposing the channel ends the abandoned read.
        var read = await NodeShell.OffPool(() => command.OutputStream.Read(buffer.Span)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (read == 0 && buffer.Length > 0)
        {
            await ThrowIfFailedAsync().ConfigureAwait(false);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await input.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
        {
            // A command that failed at once closes its channel under the first request: its own error says why.
            await ThrowIfFailedAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => input.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => input.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref disposed, 1) == 0)
        {
            try
            {
                // End of stdin lets the relay end its side cleanly before the channel closes under it.
                input.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or Renci.SshNet.Common.SshException)
            {
                // The channel or the connection is already gone; closing it below is all that is left.
            }

            command.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Output that ends because the command failed (sudo refused, no docker CLI, no daemon on the
    /// socket) is an error carrying the command's own message, not a connection that merely closed.
    /// </summary>
    private async Task ThrowIfFailedAsync()
    {
        try
        {
            await execution.WaitAsync(ExitWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return;
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or OperationCanceledException)
        {
            throw new IOException($"'{command.CommandText}' on {target} ended: {e.Message}", e);
        }

        if (command.ExitStatus is { } status and not 0)
        {
            throw new IOException($"'{command.CommandText}' on {target} failed (exit code {status}): {NodeShell.Tail(command.Error, 3)}");
        }
    }
}
