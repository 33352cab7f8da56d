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
            var page = await KubeApi.Call(ct => listPage(token, ct), resource, cancellationToken).ConfigureAwait(false);
            foreach (var item in items(page))
            {
                yield return item;
            }

            token = continueToken(page);
        }
        while (!string.IsNullOrEmpty(token));
    }
}
