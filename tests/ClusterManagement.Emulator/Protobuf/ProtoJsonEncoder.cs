using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace ClusterManagement.Emulator.Protobuf;

/// <summary>
/// The inverse of <see cref="ProtoJsonDecoder"/>: a stored object's JSON as the k8s.io message the API
/// server's protobuf serializer writes for it. Fields by their JSON names and numbers from the
/// descriptors, in field-number order as generated Marshal code writes them; Quantity, IntOrString,
/// Time/MicroTime, RawExtension and FieldsV1 from their JSON forms; maps as key/value entries; embedded
/// Go structs from the outer object's keys; JSON the schema does not know is left out, as a typed Go
/// object would drop it.
/// </summary>
public sealed class ProtoJsonEncoder(KubeProtoSchema schema)
{
    private const string Meta = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
    private const string Quantity = ".k8s.io.apimachinery.pkg.api.resource.Quantity";
    private const string IntOrString = ".k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private const string RawExtension = ".k8s.io.apimachinery.pkg.runtime.RawExtension";

    /// <summary>Messages whose JSON form is a scalar or embedded JSON, not their fields.</summary>
    private static readonly HashSet<string> JsonForms = [Quantity, IntOrString, RawExtension, Meta + "Time", Meta + "MicroTime", Meta + "FieldsV1"];

    public ByteString Encode(string messageName, JsonObject obj)
    {
        var message = schema.Message(messageName) ?? throw new ProtobufFormatException($"no message {messageName} in the schema");
        return Write(message, obj);
    }

    private ByteString Write(DescriptorProto message, JsonObject obj)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var field in message.Field.OrderBy(f => f.Number))
        {
            if ((obj[field.Name] ?? Embedded(message, field, obj)) is not { } value)
            {
                continue;
            }
            if (field.Type == FieldType.Message && schema.Message(field.TypeName) is { Options.MapEntry: true } entry && value is JsonObject map)
            {
                foreach (var (key, item) in map)
                {
                    var pair = new JsonObject { ["key"] = key, ["value"] = item?.DeepClone() };
                    WriteBytes(output, field.Number, Write(entry, pair));
                }
            }
            else if (field.Label == FieldDescriptorProto.Types.Label.Repeated && value is JsonArray items)
            {
                foreach (var item in items)
                {
                    WriteValue(output, field, item);
                }
            }
            else
            {
                WriteValue(output, field, value);
            }
        }
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }

    /// <summary>
    /// A Go struct embedded inline (Volume's VolumeSource, a selector's LocalObjectReference) has its
    /// own field in the message but no key in the JSON: its fields sit in the outer object.
    /// </summary>
    private JsonObject? Embedded(DescriptorProto outer, FieldDescriptorProto field, JsonObject obj) =>
        field.Type == FieldType.Message && field.Label != FieldDescriptorProto.Types.Label.Repeated && !JsonForms.Contains(field.TypeName)
        && schema.Message(field.TypeName) is { } inner && inner.Options?.MapEntry != true
        && inner.Field.Any(f => obj.ContainsKey(f.Name) && outer.Field.All(o => o.Name != f.Name))
            ? obj
            : null;

    private void WriteValue(CodedOutputStream output, FieldDescriptorProto field, JsonNode? value)
    {
        if (field.Type == FieldType.Message)
        {
            WriteBytes(output, field.Number, MessageOf(field.TypeName, value));
            return;
        }
        if (value is not JsonValue scalar)
        {
            return;
        }
        switch (field.Type)
        {
            case FieldType.String:
                output.WriteTag(field.Number, WireFormat.WireType.LengthDelimited);
                output.WriteString(scalar.ToString());
                break;
            case FieldType.Bytes:
                WriteBytes(output, field.Number, ByteString.FromBase64(scalar.GetValue<string>()));
                break;
            case FieldType.Bool:
                output.WriteTag(field.Number, WireFormat.WireType.Varint);
                output.WriteBool(scalar.GetValue<bool>());
                break;
            case FieldType.Double:
                output.WriteTag(field.Number, WireFormat.WireType.Fixed64);
                output.WriteDouble(Number(scalar));
                break;
            case FieldType.Float:
                output.WriteTag(field.Number, WireFormat.WireType.Fixed32);
                output.WriteFloat((float)Number(scalar));
                break;
            default:
                output.WriteTag(field.Number, WireFormat.WireType.Varint);
                output.WriteInt64(Integer(scalar));
                break;
        }
    }

    private ByteString MessageOf(string typeName, JsonNode? value) => typeName switch
    {
        Quantity => Fields((1, value?.ToString() ?? "")),
        IntOrString => value is JsonValue v && v.TryGetValue<string>(out var text)
            ? Fields((1, 1L), (3, text))
            : Fields((2, Integer((JsonValue)value!))),
        Meta + "Time" or Meta + "MicroTime" => Timestamp(value),
        RawExtension or Meta + "FieldsV1" => Fields((1, ByteString.CopyFromUtf8(value?.ToJsonString() ?? "null"))),
        _ when value is JsonObject obj => Write(schema.Message(typeName) ?? throw new ProtobufFormatException($"no message {typeName} in the schema"), obj),
        _ => ByteString.Empty,
    };

    /// <summary>Seconds and nanoseconds since the epoch; Go writes the zero time (JSON null) as an empty message.</summary>
    private static ByteString Timestamp(JsonNode? value)
    {
        if (value?.ToString() is not { Length: > 0 } text)
        {
            return ByteString.Empty;
        }
        var time = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var seconds = time.ToUnixTimeSeconds();
        var nanos = (time - DateTimeOffset.FromUnixTimeSeconds(seconds)).Ticks * 100;
        return nanos == 0 ? Fields((1, seconds)) : Fields((1, seconds), (2, nanos));
    }

    private static ByteString Fields(params (int Number, object Value)[] fields)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (number, value) in fields)
        {
            switch (value)
            {
                case string text:
                    output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                    output.WriteString(text);
                    break;
                case ByteString bytes:
                    WriteBytes(output, number, bytes);
                    break;
                case long integer:
                    output.WriteTag(number, WireFormat.WireType.Varint);
                    output.WriteInt64(integer);
                    break;
            }
        }
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static void WriteBytes(CodedOutputStream output, int number, ByteString bytes)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(bytes);
    }

    private static long Integer(JsonValue value) => value.TryGetValue<long>(out var integer) ? integer : (long)Number(value);

    private static double Number(JsonValue value) => value.TryGetValue<double>(out var number)
        ? number
        : double.Parse(value.ToString(), CultureInfo.InvariantCulture);
}
