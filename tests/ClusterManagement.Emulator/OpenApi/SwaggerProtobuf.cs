using System.Text;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.OpenApi;

/// <summary>
/// The v2 document in the protobuf form kubectl asks for (gnostic's openapi.v2.Document): client-go
/// reads /openapi/v2 only as protobuf, and kubectl needs it to validate a v1 List client-side. Carries
/// the definitions (what validation and strategic merge read); vendor extensions travel as YAML text,
/// as gnostic stores them.
/// </summary>
public static class SwaggerProtobuf
{
    public const string MediaType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    /// <summary>What a client puts in Accept to get this form (client-go's openAPIV2mimePb).</summary>
    public const string AcceptedType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    public static byte[] Encode(JsonObject swagger)
    {
        var document = new ProtoMessage()
            .String(1, swagger["swagger"]!.GetValue<string>())
            .Message(2, new ProtoMessage()
                .String(1, swagger["info"]!["title"]!.GetValue<string>())
                .String(2, swagger["info"]!["version"]!.GetValue<string>()));
        var definitions = new ProtoMessage();
        foreach (var (name, schema) in swagger["definitions"]!.AsObject())
        {
            definitions.Message(1, new ProtoMessage().String(1, name).Message(2, Schema(schema!.AsObject())));
        }
        return document.Message(9, definitions).ToArray();
    }

    private static ProtoMessage Schema(JsonObject schema)
    {
        var message = new ProtoMessage();
        if (schema["$ref"] is { } reference)
        {
            message.String(1, reference.GetValue<string>());
        }
        if (schema["format"] is { } format)
        {
            message.String(2, format.GetValue<string>());
        }
        if (schema["description"] is { } description)
        {
            message.String(4, description.GetValue<string>());
        }
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            message.String(19, required!.GetValue<string>());
        }
        if (schema["additionalProperties"] is JsonObject additional)
        {
            message.Message(21, new ProtoMessage().Message(1, Schema(additional)));
        }
        if (schema["type"] is { } type)
        {
            message.Message(22, new ProtoMessage().String(1, type.GetValue<string>()));
        }
        if (schema["items"] is JsonObject items)
        {
            message.Message(23, new ProtoMessage().Message(1, Schema(items)));
        }
        if (schema["properties"] is JsonObject properties)
        {
            var named = new ProtoMessage();
            foreach (var (name, property) in properties)
            {
                named.Message(1, new ProtoMessage().String(1, name).Message(2, Schema(property!.AsObject())));
            }
            message.Message(25, named);
        }
        foreach (var (name, value) in schema.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            message.Message(31, new ProtoMessage().String(1, name).Message(2, new ProtoMessage().String(2, Yaml(value, ""))));
        }
        return message;
    }

    /// <summary>The YAML gnostic keeps for an extension's value: scalars, lists of maps (group-version-kind), lists of scalars.</summary>
    private static string Yaml(JsonNode? value, string indent) => value switch
    {
        JsonArray list => string.Concat(list.Select(item => item is JsonObject map
            ? $"{indent}- " + string.Join($"{indent}  ", map.Select(p => $"{p.Key}: {Yaml(p.Value, "")}"))
            : $"{indent}- {Yaml(item, "")}")),
        JsonValue scalar when scalar.TryGetValue<bool>(out var flag) => flag ? "true\n" : "false\n",
        _ => value!.GetValue<string>() is { Length: > 0 } text ? text + "\n" : "\"\"\n",
    };

    /// <summary>Just enough of the protobuf wire format: strings and embedded messages (wire type 2), varint lengths.</summary>
    private sealed class ProtoMessage
    {
        private readonly MemoryStream _bytes = new();

        public ProtoMessage String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoMessage Message(int field, ProtoMessage message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private ProtoMessage Bytes(int field, byte[] value)
        {
            Varint((ulong)(field << 3 | 2));
            Varint((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}
