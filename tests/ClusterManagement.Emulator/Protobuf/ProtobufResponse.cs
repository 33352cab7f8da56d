using System.Globalization;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Protobuf;

/// <summary>
/// Answers in the media type the client prefers, as the apiserver's negotiation
/// (k8s.io/apiserver/pkg/endpoints/handlers/negotiation NegotiateOutputMediaType) picks it: the Accept
/// clauses by quality, the first one the server can write wins, JSON before protobuf for wildcards.
/// Protobuf is written as the apiserver's serializer writes it (k8s.io/apimachinery/pkg/runtime/serializer/protobuf):
/// <c>k8s\0</c>, then a runtime.Unknown with the object's apiVersion and kind and its message as raw
/// bytes, for every kind whose message the schema has (lists as their List message, Status as
/// meta/v1 Status), watch events as length-prefixed WatchEvent frames. A kind without one is answered
/// in JSON when the client also takes JSON, 406 otherwise. Error Status bodies stay JSON, which client-go
/// reads by their content type.
/// </summary>
public static class ProtobufResponse
{
    private const string MetaStatus = ".k8s.io.apimachinery.pkg.apis.meta.v1.Status";

    /// <summary>True when the answer is to be protobuf; 406 before any work when the client takes nothing this kind can be written in.</summary>
    public static bool Negotiate(HttpRequest request, ResourceKind kind)
    {
        var clauses = request.Headers.Accept.SelectMany(a => (a ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(Parse).Where(c => c.Quality > 0).OrderByDescending(c => c.Quality).ToList();
        var protobufAsked = false;
        foreach (var clause in clauses)
        {
            if (clause.Conversion)
            {
                // as=Table (or another conversion): the table path answers it.
                return false;
            }
            if (clause.Type == ProtobufBody.MediaType)
            {
                protobufAsked = true;
                if (KubeProtoSchema.Installed is { } schema && ProtobufBody.MessageName(schema, kind.GroupVersion, kind.Kind) is not null)
                {
                    return true;
                }
            }
            else if (clause.Type is "application/json" or "application/*" or "*/*")
            {
                return false;
            }
        }
        return protobufAsked ? throw Status.NotAcceptable(["application/json"]) : false;
    }

    public static Task WriteAsync(HttpContext context, int statusCode, JsonNode body, bool protobuf)
    {
        if (!protobuf || KubeProtoSchema.Installed is not { } schema || body is not JsonObject obj || MessageOf(schema, obj) is not { } message)
        {
            return JsonResponse.WriteAsync(context, statusCode, body);
        }
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ProtobufBody.MediaType;
        return context.Response.Body.WriteAsync(Encode(schema, message, obj)).AsTask();
    }

    /// <summary>The serializer's envelope: prefix, then Unknown{typeMeta, raw, contentEncoding, contentType}, every field written as Go writes value fields.</summary>
    public static byte[] Encode(KubeProtoSchema schema, string message, JsonObject obj)
    {
        var encoder = new ProtoJsonEncoder(schema);
        var envelope = new JsonObject
        {
            ["typeMeta"] = new JsonObject { ["apiVersion"] = obj.StringAt("apiVersion") ?? "", ["kind"] = obj.StringAt("kind") ?? "" },
            ["raw"] = encoder.Encode(message, obj).ToBase64(),
            ["contentEncoding"] = "",
            ["contentType"] = "",
        };
        return [.. ProtobufBody.Prefix, .. encoder.Encode(ProtobufBody.UnknownMessage, envelope).ToByteArray()];
    }

    /// <summary>
    /// One watch event as the protobuf stream serializer frames it: a 4-byte big-endian length, then a
    /// meta/v1 WatchEvent (type = 1, object = 2 as a RawExtension whose raw = 1 holds the enveloped object).
    /// </summary>
    public static byte[] WatchFrame(KubeProtoSchema schema, string type, JsonObject obj)
    {
        var message = MessageOf(schema, obj) ?? throw new ProtobufFormatException($"no message for {obj.StringAt("kind")} in the schema");
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(type);
        var raw = ByteString.CopyFrom(Encode(schema, message, obj));
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteLength(CodedOutputStream.ComputeBytesSize(raw) + 1);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(raw);
        output.Flush();
        var length = (int)buffer.Length;
        return [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, .. buffer.ToArray()];
    }

    private static string? MessageOf(KubeProtoSchema schema, JsonObject obj) =>
        obj.StringAt("kind") is not { } kind ? null
        : kind == "Status" && obj.StringAt("apiVersion") == "v1" ? MetaStatus
        : ProtobufBody.MessageName(schema, obj.StringAt("apiVersion") ?? "", kind);

    private static (string Type, double Quality, bool Conversion) Parse(string clause)
    {
        var parts = clause.Split(';').Select(p => p.Trim()).ToList();
        var quality = 1.0;
        var conversion = false;
        foreach (var parameter in parts.Skip(1))
        {
            var (name, value) = parameter.IndexOf('=') is var at and >= 0 ? (parameter[..at].Trim(), parameter[(at + 1)..].Trim()) : (parameter, "");
            if (name == "q")
            {
                quality = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 1.0;
            }
            else if (name == "as")
            {
                conversion = true;
            }
        }
        return (parts[0].ToLowerInvariant(), quality, conversion);
    }
}
