using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace ClusterManagement.Emulator.Protobuf;

/// <summary>
/// Turns a k8s.io protobuf message into the JSON the API server would store for the same Go object:
/// field names as in the JSON API (go-to-protobuf names fields by their JSON names), Quantity and
/// IntOrString as their JSON forms, Time/MicroTime as RFC 3339 (the zero time, sent as an empty message, null), bytes as base64,
/// RawExtension and FieldsV1 as embedded JSON. Go writes every value field, so the zero of one is
/// unset and left out (most carry omitempty), while a pointer's zero was set on purpose and kept
/// (<c>replicas: 0</c>); the descriptors' gogoproto.nullable tells the two apart.
/// </summary>
public sealed class ProtoJsonDecoder(KubeProtoSchema schema)
{
    private const string Meta = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
    private const long GoZeroTimeSeconds = -62135596800;

    public JsonObject Decode(string messageName, ByteString data)
    {
        var message = schema.Message(messageName) ?? throw new ProtobufFormatException($"no message {messageName} in the schema");
        return Read(message, data);
    }

    private JsonObject Read(DescriptorProto message, ByteString data)
    {
        var result = new JsonObject();
        var input = data.CreateCodedInput();
        try
        {
            for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
            {
                var number = WireFormat.GetTagFieldNumber(tag);
                var wireType = WireFormat.GetTagWireType(tag);
                var field = message.Field.FirstOrDefault(f => f.Number == number);
                if (field is null)
                {
                    // Generated Unmarshal skips fields it does not know, as newer clients rely on.
                    input.SkipLastField();
                    continue;
                }
                ReadField(field, wireType, input, result);
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ProtobufFormatException(GoWording(e), e);
        }
        return result;
    }

    private void ReadField(FieldDescriptorProto field, WireFormat.WireType wireType, CodedInputStream input, JsonObject result)
    {
        var repeated = field.Label == FieldDescriptorProto.Types.Label.Repeated;
        if (repeated && wireType == WireFormat.WireType.LengthDelimited && ExpectedWireType(field.Type) != WireFormat.WireType.LengthDelimited)
        {
            // A packed repeated scalar: one length-delimited run of values.
            var packed = input.ReadBytes().CreateCodedInput();
            var list = ArrayAt(result, field.Name);
            while (!packed.IsAtEnd)
            {
                list.Add(ReadScalar(field.Type, packed));
            }
            return;
        }
        if (wireType != ExpectedWireType(field.Type))
        {
            throw new ProtobufFormatException($"proto: wrong wireType = {(int)wireType} for field {GoFieldName(field.Name)}");
        }
        if (field.Type == FieldType.Message && schema.Message(field.TypeName) is { Options.MapEntry: true } entry)
        {
            var pair = Read(entry, input.ReadBytes());
            var map = result[field.Name] as JsonObject ?? (JsonObject)(result[field.Name] = new JsonObject());
            var value = pair["value"];
            pair.Remove("value");
            map[pair["key"]?.GetValue<string>() ?? ""] = value ?? ZeroOf(entry.Field.First(f => f.Name == "value"));
            return;
        }
        var read = field.Type == FieldType.Message ? ReadMessage(field.TypeName, input.ReadBytes()) : ReadScalar(field.Type, input);
        if (repeated)
        {
            ArrayAt(result, field.Name).Add(read);
        }
        else if (IsZero(read) && !KubeProtoSchema.IsGoPointer(field))
        {
            // Go writes every value field; its zero means unset and omitempty leaves it out of the JSON.
            result.Remove(field.Name);
        }
        else
        {
            result[field.Name] = read;
        }
    }

    private JsonNode? ReadMessage(string typeName, ByteString data)
    {
        var message = schema.Message(typeName) ?? throw new ProtobufFormatException($"no message {typeName} in the schema");
        var fields = Read(message, data);
        return typeName switch
        {
            ".k8s.io.apimachinery.pkg.api.resource.Quantity" => fields["string"]?.GetValue<string>() ?? "0",
            ".k8s.io.apimachinery.pkg.util.intstr.IntOrString" => LongOf(fields, "type") == 1
                ? fields["strVal"]?.GetValue<string>() ?? ""
                : LongOf(fields, "intVal"),
            // Go marshals the zero time as an empty message (the epoch has its fields), JSON null.
            Meta + "Time" => data.IsEmpty ? null : Timestamp(fields, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'"),
            Meta + "MicroTime" => data.IsEmpty ? null : Timestamp(fields, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'"),
            ".k8s.io.apimachinery.pkg.runtime.RawExtension" => EmbeddedJson(fields["raw"]),
            Meta + "FieldsV1" => EmbeddedJson(fields["Raw"]),
            _ => fields,
        };
    }

    private static JsonNode? Timestamp(JsonObject fields, string format)
    {
        var seconds = LongOf(fields, "seconds");
        var nanos = LongOf(fields, "nanos");
        if (seconds == GoZeroTimeSeconds && nanos == 0)
        {
            return null;
        }
        var time = DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(nanos / 100);
        return time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
    }

    private static long LongOf(JsonObject fields, string name) =>
        fields[name] is JsonValue value ? Convert.ToInt64(value.GetValue<object>(), CultureInfo.InvariantCulture) : 0;

    private static JsonNode? EmbeddedJson(JsonNode? base64)
    {
        if (base64 is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(Convert.FromBase64String(base64.GetValue<string>()));
        }
        catch (JsonException e)
        {
            throw new ProtobufFormatException($"embedded object is not JSON: {e.Message}", e);
        }
    }

    private static bool IsZero(JsonNode? value) => value is JsonValue scalar && scalar.GetValue<object>() switch
    {
        string text => text.Length == 0,
        bool flag => !flag,
        var number => Convert.ToDouble(number, CultureInfo.InvariantCulture) == 0,
    };

    private static JsonNode ReadScalar(FieldType type, CodedInputStream input) => type switch
    {
        FieldType.String => JsonValue.Create(input.ReadString()),
        FieldType.Bytes => JsonValue.Create(input.ReadBytes().ToBase64()),
        FieldType.Bool => JsonValue.Create(input.ReadBool()),
        FieldType.Int32 => JsonValue.Create(input.ReadInt32()),
        FieldType.Int64 => JsonValue.Create(input.ReadInt64()),
        FieldType.Uint32 => JsonValue.Create(input.ReadUInt32()),
        FieldType.Uint64 => JsonValue.Create(input.ReadUInt64()),
        FieldType.Sint32 => JsonValue.Create(input.ReadSInt32()),
        FieldType.Sint64 => JsonValue.Create(input.ReadSInt64()),
        FieldType.Fixed32 => JsonValue.Create(input.ReadFixed32()),
        FieldType.Fixed64 => JsonValue.Create(input.ReadFixed64()),
        FieldType.Sfixed32 => JsonValue.Create(input.ReadSFixed32()),
        FieldType.Sfixed64 => JsonValue.Create(input.ReadSFixed64()),
        FieldType.Double => JsonValue.Create(input.ReadDouble()),
        FieldType.Float => JsonValue.Create(input.ReadFloat()),
        _ => throw new ProtobufFormatException($"proto: field type {type} is not used by Kubernetes"),
    };

    private static JsonNode ZeroOf(FieldDescriptorProto field) => field.Type switch
    {
        FieldType.String or FieldType.Bytes => JsonValue.Create(""),
        FieldType.Bool => JsonValue.Create(false),
        FieldType.Message => new JsonObject(),
        _ => JsonValue.Create(0),
    };

    private static WireFormat.WireType ExpectedWireType(FieldType type) => type switch
    {
        FieldType.String or FieldType.Bytes or FieldType.Message => WireFormat.WireType.LengthDelimited,
        FieldType.Fixed32 or FieldType.Sfixed32 or FieldType.Float => WireFormat.WireType.Fixed32,
        FieldType.Fixed64 or FieldType.Sfixed64 or FieldType.Double => WireFormat.WireType.Fixed64,
        FieldType.Group => WireFormat.WireType.StartGroup,
        _ => WireFormat.WireType.Varint,
    };

    private static JsonArray ArrayAt(JsonObject result, string name) =>
        result[name] as JsonArray ?? (JsonArray)(result[name] = new JsonArray());

    /// <summary>The Go field name generated Unmarshal code puts in its errors (<c>metadata</c> is <c>ObjectMeta</c> there, close enough).</summary>
    private static string GoFieldName(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>What gogo-generated Unmarshal code says for the same damage.</summary>
    private static string GoWording(InvalidProtocolBufferException e) => e.Message switch
    {
        var m when m.Contains("ended unexpectedly", StringComparison.Ordinal) => "unexpected EOF",
        var m when m.Contains("negative size", StringComparison.Ordinal) => "proto: negative length found during unmarshaling",
        var m when m.Contains("malformed varint", StringComparison.Ordinal) => "proto: integer overflow",
        var m when m.Contains("invalid tag", StringComparison.Ordinal) => "proto: illegal tag 0 (wire type 0)",
        var m when m.Contains("invalid wire type", StringComparison.Ordinal) => "proto: illegal wireType",
        var m => m,
    };
}
