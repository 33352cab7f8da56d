using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;
using Google.Protobuf;

namespace ClusterManagement.Emulator.Protobuf;

/// <summary>
/// Request bodies in <c>application/vnd.kubernetes.protobuf</c>, as client-go sends them: the magic
/// <c>k8s\0</c>, then a runtime.Unknown whose typeMeta names the kind and whose raw bytes are that
/// kind's message. Decoded to JSON so that create and update go on exactly as for a JSON body;
/// refusals are the API server's (apiserver handlers' transformDecodeError around the serializer's errors).
/// </summary>
public static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    internal static readonly byte[] Prefix = "k8s\0"u8.ToArray();

    internal const string UnknownMessage = ".k8s.io.apimachinery.pkg.runtime.Unknown";

    /// <summary>The scheme the kube-apiserver registers its built-in kinds in, named in its not-registered errors.</summary>
    private const string Scheme = "pkg/api/legacyscheme/scheme.go:30";

    /// <summary>The object in <paramref name="body"/>, which must be a <paramref name="expectedKind"/> of <paramref name="groupVersion"/>; 400 otherwise.</summary>
    public static JsonObject Decode(byte[] body, KubeProtoSchema schema, string groupVersion, string expectedKind)
    {
        var decoder = new ProtoJsonDecoder(schema);
        JsonObject envelope;
        try
        {
            envelope = decoder.Decode(UnknownMessage, Envelope(body));
        }
        catch (ProtobufFormatException e)
        {
            throw Status.BadRequest($"the object provided is unrecognized (must be of type {expectedKind}): {e.Message} ({Summary(body)})");
        }
        // Missing type information defaults to the URL's, as the serializer's copyKindDefaults does.
        var apiVersion = envelope.StringAt("typeMeta", "apiVersion") ?? groupVersion;
        var kind = envelope.StringAt("typeMeta", "kind") ?? expectedKind;
        var version = apiVersion[(apiVersion.IndexOf('/') + 1)..];
        if (MessageName(schema, apiVersion, kind) is not { } messageName)
        {
            throw CannotHandle(kind, version, expectedKind, $"no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"{Scheme}\"");
        }
        if (kind != expectedKind)
        {
            throw CannotHandle(kind, version, expectedKind, $"converting ({version}.{kind}) to ({InternalPackage(groupVersion)}.{expectedKind}): unknown conversion");
        }
        if (apiVersion != groupVersion)
        {
            throw Status.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({groupVersion})");
        }
        JsonObject fields;
        try
        {
            var raw = envelope["raw"]?.GetValue<string>() is { } base64 ? ByteString.FromBase64(base64) : ByteString.Empty;
            fields = decoder.Decode(messageName, raw);
        }
        catch (ProtobufFormatException e)
        {
            throw CannotHandle(kind, version, expectedKind, e.Message);
        }
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            obj[name] = value;
        }
        return obj;
    }

    private static ByteString Envelope(byte[] body)
    {
        if (body.Length == 0)
        {
            throw new ProtobufFormatException("empty data");
        }
        if (!body.AsSpan().StartsWith(Prefix))
        {
            throw new ProtobufFormatException($"provided data does not appear to be a protobuf message, expected prefix [{string.Join(' ', Prefix)}]");
        }
        if (body.Length == Prefix.Length)
        {
            throw new ProtobufFormatException("empty body");
        }
        return ByteString.CopyFrom(body, Prefix.Length, body.Length - Prefix.Length);
    }

    /// <summary>k8s.io/api names its proto packages by the group's first label (rbac.authorization.k8s.io: k8s.io.api.rbac.v1), the core group "core".</summary>
    internal static string? MessageName(KubeProtoSchema schema, string apiVersion, string kind)
    {
        var name = $".k8s.io.api.{InternalPackage(apiVersion)}.{apiVersion[(apiVersion.IndexOf('/') + 1)..]}.{kind}";
        return schema.Message(name) is null ? null : name;
    }

    private static string InternalPackage(string groupVersion) =>
        groupVersion.Contains('/') ? groupVersion[..groupVersion.IndexOfAny(['.', '/'])] : "core";

    private static ApiException CannotHandle(string kind, string version, string expectedKind, string reason) =>
        Status.BadRequest($"{kind} in version \"{version}\" cannot be handled as a {expectedKind}: {reason}");

    /// <summary>The apiserver's summarizeData: the first 30 bytes, as hex unless the body looks like JSON.</summary>
    private static string Summary(byte[] body)
    {
        const int Limit = 30;
        if (body.Length == 0)
        {
            return "<empty>";
        }
        var head = body.AsSpan(0, Math.Min(body.Length, Limit));
        var text = body[0] == '{' ? System.Text.Encoding.UTF8.GetString(head) : Convert.ToHexStringLower(head);
        return body.Length > Limit ? text + " ..." : text;
    }
}
