using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Tests.Infrastructure;

/// <summary>Raw HTTP against the emulator, so tests see exactly the codes and bodies a client gets.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    public HttpClient Http => http;

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, string? accept = null) =>
        SendAsync(HttpMethod.Get, path, null, null, accept);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, JsonNode body) =>
        SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, JsonNode body) =>
        SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<(HttpStatusCode Status, JsonNode? Body)> PatchAsync(string path, string body, string contentType) =>
        SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<(HttpStatusCode Status, JsonNode? Body)> DeleteAsync(string path, JsonNode? body = null) =>
        SendAsync(HttpMethod.Delete, path, body?.ToJsonString(), body is null ? null : "application/json");

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public void Dispose() => http.Dispose();
}
