using System.Net;
using System.Net.Http;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Ties each watch's HTTP stream to the reader that opened it. KubernetesClient reads a watch with a token
/// of its own (linked to the caller's, disposed once the first event has arrived), so after that neither
/// Ctrl+C nor a reader that stops reading reaches the stream: on HTTP/2 the server would go on serving the
/// watch until the shared connection closes. The reader's token travels with its async flow to
/// <see cref="ApiTransport"/>, which closes the stream when that token is cancelled.
/// </summary>
internal static class WatchStreams
{
    private static readonly AsyncLocal<CancellationToken> ReaderGone = new();

    internal static CancellationToken Current => ReaderGone.Value;

    /// <summary>Every watch opened on this async flow from now on is closed when <paramref name="readerGone"/> is cancelled.</summary>
    internal static IDisposable ClosedWhen(CancellationToken readerGone)
    {
        var previous = ReaderGone.Value;
        ReaderGone.Value = readerGone;
        return new Restore(previous);
    }

    /// <summary>The watch body KubernetesClient reads, closed (RST_STREAM on HTTP/2, the connection on HTTP/1.1) once the reader is gone.</summary>
    internal static HttpContent ClosingWhenGone(HttpContent body, CancellationToken readerGone) =>
        readerGone.CanBeCanceled ? new ClosingContent(body, readerGone) : body;

    private sealed class Restore(CancellationToken previous) : IDisposable
    {
        public void Dispose() => ReaderGone.Value = previous;
    }

    private sealed class ClosingContent : HttpContent
    {
        private readonly HttpContent body;
        private readonly CancellationToken readerGone;
        private CancellationTokenRegistration closing;

        public ClosingContent(HttpContent body, CancellationToken readerGone)
        {
            this.body = body;
            this.readerGone = readerGone;
            foreach (var header in body.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task<Stream> CreateContentReadStreamAsync()
        {
            var stream = await body.ReadAsStreamAsync().ConfigureAwait(false);
            closing = readerGone.Register(static s => ((Stream)s!).Dispose(), stream);
            return stream;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => body.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                closing.Dispose();
                body.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
