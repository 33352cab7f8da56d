using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests.OpenApi;

/// <summary>The OpenAPI documents in the shapes client-go's openapi and openapi3 packages read.</summary>
public sealed class OpenApiDocumentTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private async Task<(HttpStatusCode Status, byte[] Body, HttpResponseMessage Response)> GetAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await fixture.Admin.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response);
    }

    [Fact]
    public async Task TheV3IndexNamesEachGroupVersionByItsContentHash()
    {
        var (status, body, _) = await GetAsync("/openapi/v3");
        var paths = JsonNode.Parse(body)!["paths"]!.AsObject();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("api/v1", paths.Select(p => p.Key));
        Assert.Contains("apis/apps/v1", paths.Select(p => p.Key));
        Assert.Contains("apis/storage.k8s.io/v1", paths.Select(p => p.Key));
        var url = paths["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.StartsWith("/openapi/v3/apis/apps/v1?hash=", url);
        var (documentStatus, document, response) = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, documentStatus);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Convert.ToHexString(SHA512.HashData(document)), url[(url.IndexOf('=') + 1)..]);
    }

    [Fact]
    public async Task ThePatchOperationDeclaresFieldValidationAndStrategicMergeForItsKind()
    {
        var document = JsonNode.Parse((await GetAsync("/openapi/v3/apis/apps/v1")).Body)!;
        var patch = document["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;

        Assert.Equal("""{"group":"apps","kind":"Deployment","version":"v1"}""", patch["x-kubernetes-group-version-kind"]!.ToJsonString());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
        Assert.NotNull(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);
        var schemas = document["components"]!["schemas"]!;
        Assert.Equal("""[{"group":"apps","kind":"Deployment","version":"v1"}]""", schemas["io.k8s.api.apps.v1.Deployment"]!["x-kubernetes-group-version-kind"]!.ToJsonString());
        var containers = schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal(("name", "merge"), (containers["x-kubernetes-patch-merge-key"]!.GetValue<string>(), containers["x-kubernetes-patch-strategy"]!.GetValue<string>()));
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.Container", containers["items"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec", schemas["io.k8s.api.apps.v1.DeploymentSpec"]!["properties"]!["template"]!["allOf"]![0]!["$ref"]!.GetValue<string>());
        Assert.NotNull(schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]);
    }

    [Fact]
    public async Task TheV2DocumentIsProtobufWhenClientGoAsksForIt()
    {
        var (status, body, response) = await GetAsync("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", response.Content.Headers.ContentType!.MediaType);
        // Field 1 (swagger), wire type 2, length 3, "2.0": a protobuf message, not JSON.
        Assert.Equal(new byte[] { 0x0A, 3, (byte)'2', (byte)'.', (byte)'0' }, body[..5]);
        Assert.True(Contains(body, "io.k8s.api.apps.v1.DeploymentSpec"));
        Assert.True(Contains(body, "- group: apps\n  kind: Deployment\n  version: v1\n"));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    [Fact]
    public async Task TheV2DocumentIsJsonOtherwise()
    {
        var (status, body, response) = await GetAsync("/openapi/v2", "application/json");
        var document = JsonNode.Parse(body)!;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("2.0", document["swagger"]!.GetValue<string>());
        var deployment = document["definitions"]!["io.k8s.api.apps.v1.Deployment"]!;
        Assert.Equal("#/definitions/io.k8s.api.apps.v1.DeploymentSpec", deployment["properties"]!["spec"]!["$ref"]!.GetValue<string>());
        Assert.Contains("application/strategic-merge-patch+json",
            document["paths"]!["/api/v1/nodes/{name}"]!["patch"]!["consumes"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task AGroupVersionWithoutDocumentIsNotFound()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/openapi/v3/apis/example.com/v1")).Status);
    }
}
