using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Protobuf;
using ClusterManagement.Emulator.Store;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Api;

/// <summary>One authenticated, authorized request to a resource, as the verb handlers receive it.</summary>
public sealed class ApiRequest
{
    public required HttpContext Http { get; init; }
    public required ApiServices Services { get; init; }
    public required string Verb { get; init; }
    public required ResourceKind Kind { get; init; }
    public required string? Namespace { get; init; }
    public required string? Name { get; init; }
    public required string? Subresource { get; init; }
    public required EmulatorUser User { get; init; }
    public required byte[] Body { get; init; }

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    /// <summary>The media type without parameters (the C# client appends "; charset=utf-8").</summary>
    public string MediaType => (Http.Request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>The body as a JSON object (protobuf decoded to the same JSON): 415 for other media types, 400 for malformed bodies.</summary>
    public JsonObject ReadObject()
    {
        // Only a protobuf body pays for reading the schemas (kubectl's binary, once per process).
        if (MediaType == ProtobufBody.MediaType && KubeProtoSchema.Installed is { } schema)
        {
            var subresource = Subresource is { } name && name != "status" ? Kind.FindSubresource(name) : null;
            var groupVersion = subresource?.Group is { } group ? $"{group}/{subresource.Version}" : Kind.GroupVersion;
            return ProtobufBody.Decode(Body, schema, groupVersion, subresource?.Kind ?? Kind.Kind);
        }
        if (MediaType != "application/json")
        {
            throw Status.UnsupportedMediaType(MediaType, KubeProtoSchema.Installed is null ? ["application/json"] : ["application/json", ProtobufBody.MediaType]);
        }
        return ParseJson(Body) as JsonObject ?? throw Status.BadRequest("the request body must be a JSON object");
    }

    public static JsonNode? ParseJson(byte[] body)
    {
        try
        {
            return JsonBody.Parse(body);
        }
        catch (JsonException e)
        {
            throw Status.BadRequest($"error decoding request body: {e.Message}");
        }
    }
}
