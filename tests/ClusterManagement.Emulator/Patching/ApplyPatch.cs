using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterManagement.Emulator.Patching;

/// <summary>
/// The body of a server-side apply (application/apply-patch+yaml); merging it and the field
/// ownership it changes are <see cref="FieldManagement.FieldOwnership"/>'s.
/// </summary>
public static class ApplyPatch
{
    public const string MediaType = "application/apply-patch+yaml";

    /// <summary>The body as a JSON object: JSON (what kubectl and client libraries send) or YAML.</summary>
    public static JsonObject Parse(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                return json;
            }
        }
        catch (JsonException)
        {
            // Not JSON: read it as YAML below.
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Encoding.UTF8.GetString(body)));
            if (stream.Documents.Count == 1 && ToJson(stream.Documents[0].RootNode) is JsonObject yaml)
            {
                return yaml;
            }
        }
        catch (YamlException e)
        {
            throw Status.BadRequest($"error decoding YAML: {e.Message}");
        }
        throw Status.BadRequest("the apply configuration must be a single object");
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    /// <summary>YAML 1.2 core schema for unquoted scalars, as sigs.k8s.io/yaml reads them.</summary>
    private static JsonNode? Plain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) => JsonValue.Create(d),
        _ => JsonValue.Create(text),
    };
}
