using ClusterManagement.Emulator.Protobuf;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ClusterManagement.Emulator.Tests.Protobuf;

/// <summary>
/// Encodes test messages by field name; numbers and types come from the schema kubectl carries, so a
/// test states what it sends, not how protobuf numbers it.
/// </summary>
public sealed class ProtoBuilder(KubeProtoSchema schema, string messageName)
{
    public static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private readonly MemoryStream buffer = new();

    private readonly DescriptorProto message = schema.Message(messageName) ?? throw new ArgumentException($"no message {messageName}");

    public FieldDescriptorProto Field(string name) => message.Field.First(f => f.Name == name);

    public ProtoBuilder String(string field, string value) => Write(field, WireFormat.WireType.LengthDelimited, o => o.WriteString(value));

    public ProtoBuilder Varint(string field, long value) => Write(field, WireFormat.WireType.Varint, o => o.WriteInt64(value));

    public ProtoBuilder Bytes(string field, byte[] value) => Write(field, WireFormat.WireType.LengthDelimited, o => o.WriteBytes(ByteString.CopyFrom(value)));

    public ProtoBuilder Message(string field, Action<ProtoBuilder> build)
    {
        var inner = new ProtoBuilder(schema, Field(field).TypeName);
        build(inner);
        return Bytes(field, inner.ToBytes());
    }

    /// <summary>Writes a field with any wire type and payload, to build damaged input.</summary>
    public ProtoBuilder Write(string field, WireFormat.WireType wireType, Action<CodedOutputStream> payload)
    {
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        output.WriteTag(Field(field).Number, wireType);
        payload(output);
        output.Flush();
        return this;
    }

    public byte[] ToBytes() => buffer.ToArray();

    /// <summary>A request body as client-go sends it: the magic, then runtime.Unknown around <paramref name="raw"/>.</summary>
    public static byte[] Envelope(KubeProtoSchema schema, string apiVersion, string kind, byte[] raw)
    {
        var unknown = new ProtoBuilder(schema, ".k8s.io.apimachinery.pkg.runtime.Unknown")
            .Message("typeMeta", t => t.String("apiVersion", apiVersion).String("kind", kind))
            .Bytes("raw", raw);
        return [.. Magic, .. unknown.ToBytes()];
    }
}
