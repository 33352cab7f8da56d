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

    public static async IAsyncEnumerable<TItem> ListAll<TList, TItem>(
        Func<string?, CancellationToken, Task<TList>> listPage,
        Func<TList, IEnumerable<TItem>> items,
        Func<TList, string?> continueToken,
        ResourceRef resource,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var page = await KubeApi.Call(ct => NextPageAsync(listPage, token, ct), resource, cancellationToken).ConfigureAwait(false);
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
    private static async Task<TList> NextPageAsync<TList>(Func<string?, CancellationToken, Task<TList>> listPage, string? token, CancellationToken cancellationToken)
    {
        try
        {
            return await listPage(token, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (token is not null && e.Response.StatusCode == HttpStatusCode.Gone && FreshToken(e.Response.Content) is { } fresh)
        {
            return await listPage(fresh, cancellationToken).ConfigureAwait(false);
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
}
