using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Lists in pages (limit/continue) and yields each page's items as soon as it arrives, so
/// memory stays flat with cluster size and the first object reaches the pipeline early.
/// </summary>
internal static class Paging
{
    /// <summary>kubectl's own chunk size.</summary>
    public const int PageSize = 500;

    /// <summary>
    /// The first page of a list while the command reads several clusters at once. A page's first object reaches
    /// the pipeline only once the whole page is in and parsed, and that took most of the time from a cluster's
    /// answer to its first object (480 to 930 ms of a 500-node page on a loaded machine, against about 10 ms for
    /// mapping and writing it): a tenth of the page is parsed in a tenth of the time. The rest of the list comes
    /// in pages of <see cref="PageSize"/>, so a big cluster costs one request more.
    /// </summary>
    public const int FirstPageAmongSeveral = 50;

    private static readonly AsyncLocal<bool> AmongSeveral = new();

    /// <summary>Lists on this async flow (one cluster's work in a fan-out) start with a page of <see cref="FirstPageAmongSeveral"/>.</summary>
    public static IDisposable SmallFirstPages()
    {
        var previous = AmongSeveral.Value;
        AmongSeveral.Value = true;
        return new Restore(previous);
    }

    /// <param name="listPage">Reads one page: from the continue token (null for the first), at most the limit given.</param>
    public static async IAsyncEnumerable<TItem> ListAll<TList, TItem>(
        Func<string?, int, CancellationToken, Task<TList>> listPage,
        Func<TList, IEnumerable<TItem>> items,
        Func<TList, string?> continueToken,
        ResourceRef resource,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var limit = token is null && AmongSeveral.Value ? FirstPageAmongSeveral : PageSize;
            var page = await KubeApi.Call(ct => NextPageAsync(listPage, token, limit, ct), resource, cancellationToken).ConfigureAwait(false);
            foreach (var item in items(page))
            {
                yield return item;
            }

            token = continueToken(page);
        }
        while (!string.IsNullOrEmpty(token));
    }

    /// <summary>
    /// A list that outlives the server's compaction window gets 410 Expired for its continue token,
    /// with a token for the rest of the list in the Status. The pages already written cannot be taken
    /// back, so the rest is read from that token (the apiserver's own advice) rather than starting over
    /// and writing objects twice; objects changed in between may show their newer state.
    /// </summary>
    private static async Task<TList> NextPageAsync<TList>(Func<string?, int, CancellationToken, Task<TList>> listPage, string? token, int limit, CancellationToken cancellationToken)
    {
        try
        {
            return await listPage(token, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (token is not null && e.Response.StatusCode == HttpStatusCode.Gone && FreshToken(e.Response.Content) is { } fresh)
        {
            return await listPage(fresh, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? FreshToken(string? status)
    {
        try
        {
            return JsonNode.Parse(status ?? "")?["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } fresh ? fresh : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => AmongSeveral.Value = previous;
    }
}
