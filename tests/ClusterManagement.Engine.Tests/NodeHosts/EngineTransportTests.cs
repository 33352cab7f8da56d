using System.Collections.Concurrent;
using System.Net.Sockets;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Ssh;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ClusterManagement.Tests.NodeHosts;

/// <summary>
/// The engine client's transport: every HTTP connection is a stream a dial function opens (on a node,
/// an SSH exec channel running docker system dial-stdio). Here the dial connects to a fake engine on a
/// unix socket, so nothing listens on TCP.
/// </summary>
public sealed class EngineTransportTests : IAsyncLifetime
{
    private const string VersionJson = """
        {"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","KernelVersion":"6.1.0",
         "Components":[{"Name":"containerd","Version":"1.6.20~ds1","Details":{"GitCommit":"1.6.20~ds1-1+deb12u3"}}]}
        """;

    private readonly string socketPath = Path.Combine(Path.GetTempPath(), $"cm-engine-{Guid.NewGuid():N}.sock");
    private readonly ConcurrentQueue<string> requests = new();
    private WebApplication? engine;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.ListenUnixSocket(socketPath));
        engine = builder.Build();
        engine.Use(async (context, next) =>
        {
            requests.Enqueue(context.Request.Path);
            await next(context);
        });
        engine.MapGet("/version", () => Results.Text(VersionJson, "application/json"));
        engine.MapGet("/v{api}/version", () => Results.Text(VersionJson, "application/json"));
        engine.MapGet("/v{api}/info", () => Results.Text("""{"OperatingSystem":"Debian GNU/Linux 12 (bookworm)","Driver":"overlay2"}""", "application/json"));
        await engine.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await engine!.DisposeAsync();
        File.Delete(socketPath);
    }

    [Fact]
    public async Task TheEngineApiRunsOverDialedStreamsWhichAreClosedWithTheClient()
    {
        var dialed = new ConcurrentBag<TrackedStream>();
        async Task<Stream> Dial(CancellationToken ct)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            var stream = new TrackedStream(socket);
            dialed.Add(stream);
            return stream;
        }

        var client = await EngineClient.OpenAsync(Dial, "ssh://admin@n1:22/var/run/docker.sock", "n1", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("20.10.24+dfsg1", client.ServerVersion.Version);
        Assert.Equal(new Version(1, 41), client.ApiVersion);
        Assert.Equal("1.6.20~ds1-1+deb12u3", client.ComponentBuild("containerd"));
        Assert.Equal("overlay2", (await client.InfoAsync(CancellationToken.None)).Driver);
        Assert.Equal(["/version", "/v1.41/info"], requests.ToArray());
        Assert.InRange(dialed.Count, 1, ChannelTransport.MostChannels);
        Assert.Contains(dialed, s => !s.Disposed);

        client.Dispose();
        Assert.All(dialed, s => Assert.True(s.Disposed, "every channel closes with the client"));
    }

    [Fact]
    public async Task ADialThatDoesNotOpenIsGivenUpAtTheTimeout()
    {
        var cancelled = new TaskCompletionSource();
        async Task<Stream> Hang(CancellationToken ct)
        {
            using var registration = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ClusterException>(() => EngineClient.OpenAsync(Hang, "ssh://admin@n1:22/var/run/docker.sock", "n1", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("EngineResponseTimeout", error.ErrorId);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));

        // The dial itself is given up too, not left waiting behind the failed call.
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(requests);
    }

    [Fact]
    public async Task ARelayThatFailsIsReportedWithItsOwnError()
    {
        // What ExecChannelStream raises when dial-stdio's output ends with a failed exit status.
        var failing = new FailingStream("'sudo -n docker ... system dial-stdio' on admin@n1 failed (exit code 1): sudo: a password is required");
        var error = await Assert.ThrowsAsync<ClusterException>(() => EngineClient.OpenAsync(_ => Task.FromResult<Stream>(failing), "ssh://admin@n1:22/var/run/docker.sock", "n1", TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal("EngineNotAnswering", error.ErrorId);
        Assert.Contains("ssh://admin@n1:22/var/run/docker.sock", error.Message);
        Assert.Contains("sudo: a password is required", error.Message);
        Assert.True(failing.ReadAttempted, "the client read the relay's output");
    }

    [Fact]
    public void TheEngineIsReachedThroughDialStdioOnItsSocketOnly()
    {
        Assert.Equal("sudo -n docker --host unix:///var/run/docker.sock system dial-stdio", EngineClient.DialCommand);
        Assert.Equal("ssh://admin@10.0.0.5:2222/var/run/docker.sock", EngineClient.Endpoint(new SshTarget("10.0.0.5", 2222, "admin")));
        Assert.Equal("ssh://admin@[fd00::5]:22/var/run/docker.sock", EngineClient.Endpoint(new SshTarget("fd00::5", 22, "admin")));
        var plan = NodeProvisioner.Plan(new NewNodeRequest
        {
            Name = "n1",
            Ssh = new SshTarget("127.0.0.5", 22, "admin"),
            Engine = new EngineTarget(EngineSource.Distribution, "20.10", null),
        });
        Assert.DoesNotContain(plan, step => step.Contains("tcp://", StringComparison.Ordinal) || step.Contains("tunnel", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(plan, step => step.Contains($"remove {EngineInstaller.LegacyListenerDropIn}", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("docker system dial-stdio", StringComparison.Ordinal));
    }

    private sealed class TrackedStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private sealed class FailingStream(string message) : Stream
    {
        public bool ReadAttempted { get; private set; }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadAttempted = true;
            throw new IOException(message);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadAttempted = true;
            return ValueTask.FromException<int>(new IOException(message));
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
