using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.Kubernetes;

/// <summary>
/// Requests for kinds the typed client cannot name in advance (manifests may hold any kind): the same
/// HTTP pipeline, credentials and request log as typed calls, errors through <see cref="KubeApi.FromStatus"/>.
/// Call through <see cref="KubeApi.Call{T}"/> for retries.
/// </summary>
internal static class RawApi
{
    private static readonly ConcurrentDictionary<(ClusterConnection, string), IReadOnlyDictionary<string, ApiResource>> Discovered = new();

    /// <summary>Where a kind lives: its plural (URL segment) and whether it is namespaced.</summary>
    public sealed record ApiResource(string GroupVersion, string Kind, string Plural, bool Namespaced)
    {
        /// <summary>The collection URL path (with the namespace when namespaced).</summary>
        public string CollectionPath(string? ns) =>
            (GroupVersion.Contains('/') ? $"/apis/{GroupVersion}" : $"/api/{GroupVersion}")
            + (Namespaced ? $"/namespaces/{Uri.EscapeDataString(ns ?? "default")}" : "")
            + $"/{Plural}";
    }

    public static async Task<JsonNode?> SendAsync(
        ClusterConnection connection, HttpMethod method, string pathAndQuery, string? contentType, string? body, ResourceRef resource, CancellationToken cancellationToken)
    {
        using var response = await SendRequestAsync(connection, method, pathAndQuery, contentType, body, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw KubeApi.FromStatus((int)response.StatusCode, text, resource);
        }
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>Sends through the typed client's pipeline; the caller reads and disposes the answer.</summary>
    public static async Task<HttpResponseMessage> SendRequestAsync(
        ClusterConnection connection, HttpMethod method, string pathAndQuery, string? contentType, string? body, CancellationToken cancellationToken)
    {
        var client = (k8s.Kubernetes)connection.Client;
        using var request = new HttpRequestMessage(method, new Uri(client.BaseUri.ToString().TrimEnd('/') + pathAndQuery));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType ?? "application/json");
        }
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        return await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One page of a collection, for list readers that parse its JSON themselves: the request the typed client sends
    /// (query, credentials, the client's handlers with their request timeout and log). A failure is raised as the typed
    /// client raises it, so <see cref="KubeApi.Call{T}"/> and <see cref="Paging"/> (410 with a fresh continue token) treat it alike.
    /// </summary>
    public static async Task<byte[]> ListPageAsync(
        ClusterConnection connection, string collectionPath, string? labelSelector, string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (continueToken is not null)
        {
            query.Add("continue=" + Uri.EscapeDataString(continueToken));
        }
        if (labelSelector is not null)
        {
            query.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
        }
        query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        using var response = await SendRequestAsync(connection, HttpMethod.Get, collectionPath + "?" + string.Join("&", query), null, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await OperationFailedAsync(response, cancellationToken).ConfigureAwait(false);
        }
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A failed answer as the typed client raises it, for callers that read through <see cref="SendRequestAsync"/> in
    /// place of a typed call and keep its handling (<see cref="KubeApi.Translate"/>, <see cref="Paging"/>'s 410).
    /// </summary>
    public static async Task<k8s.Autorest.HttpOperationException> OperationFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new k8s.Autorest.HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {text}")
        {
            Response = new k8s.Autorest.HttpResponseMessageWrapper(response, text),
        };
    }

    /// <summary>Finds a kind through discovery (cached per connection and group version).</summary>
    public static async Task<ApiResource> ResolveAsync(ClusterConnection connection, string apiVersion, string kind, CancellationToken cancellationToken)
    {
        if (!Discovered.TryGetValue((connection, apiVersion), out var kinds))
        {
            var path = apiVersion.Contains('/') ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
            JsonNode? list;
            try
            {
                list = await KubeApi.Call(ct => SendAsync(connection, HttpMethod.Get, path, null, null, new ResourceRef("ApiGroupVersion", apiVersion), ct),
                    new ResourceRef("ApiGroupVersion", apiVersion), cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                list = null;
            }
            kinds = (list?["resources"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Where(r => r["name"]?.GetValue<string>().Contains('/') == false)
                .GroupBy(r => r["kind"]!.GetValue<string>())
                .ToDictionary(g => g.Key, g => new ApiResource(apiVersion, g.Key, g.First()["name"]!.GetValue<string>(), g.First()["namespaced"]?.GetValue<bool>() == true));
            Discovered[(connection, apiVersion)] = kinds;
        }
        return kinds.TryGetValue(kind, out var found)
            ? found
            : throw new ClusterException(ClusterErrors.KindNotServed, $"The cluster does not serve {kind} in {apiVersion}; install its CustomResourceDefinition first or check the apiVersion.", $"{apiVersion}/{kind}");
    }
}
