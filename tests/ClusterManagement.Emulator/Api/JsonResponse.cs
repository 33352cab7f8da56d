using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Api;

/// <summary>JSON answers: everything but the objects a client asked protobuf for (<see cref="Protobuf.ProtobufResponse"/>).</summary>
public static class JsonResponse
{
    public const string ContentType = "application/json";

    public static async Task WriteAsync(HttpContext context, int statusCode, JsonNode body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ContentType;
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonEncoding.Writer);
        body.WriteTo(writer);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiException error) => WriteAsync(context, error.Code, error.ToStatus());
}
