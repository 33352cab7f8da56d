using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Diagnostics;
using ClusterManagement.Manifests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterManagement.Engine.Manifests;

/// <summary>
/// Reads multi-document YAML and JSON manifests (List kinds unpacked) and orders them the way they
/// must be applied: namespaces, then CRDs, then RBAC, then everything else, each group in file order.
/// </summary>
internal static class ManifestReader
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["Namespace"] = 0,
        ["CustomResourceDefinition"] = 1,
        ["ServiceAccount"] = 2,
        ["ClusterRole"] = 2,
        ["Role"] = 2,
        ["ClusterRoleBinding"] = 3,
        ["RoleBinding"] = 3,
    };

    public static IReadOnlyList<ManifestDocument> ReadFiles(IEnumerable<string> files) =>
        Order(files.SelectMany(f => Parse(File.ReadAllText(f), f)));

    /// <summary>Stable sort by dependency rank.</summary>
    public static IReadOnlyList<ManifestDocument> Order(IEnumerable<ManifestDocument> documents) =>
        [.. documents.Select((d, i) => (d, i)).OrderBy(p => Rank.GetValueOrDefault(p.d.Kind, 4)).ThenBy(p => p.i).Select(p => p.d)];

    public static IReadOnlyList<ManifestDocument> Parse(string text, string source)
    {
        var documents = new List<ManifestDocument>();
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                Add(JsonNode.Parse(text), source, documents);
                return documents;
            }
            catch (JsonException e)
            {
                throw Invalid(source, e.Message);
            }
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Invalid(source, $"line {e.Start.Line}: {e.Message}");
        }
        foreach (var document in stream.Documents)
        {
            Add(ToJson(document.RootNode), source, documents);
        }
        return documents;
    }

    private static void Add(JsonNode? node, string source, List<ManifestDocument> documents)
    {
        switch (node)
        {
            case null:
                return;
            case JsonArray array:
                array.ToList().ForEach(item => Add(item?.DeepClone(), source, documents));
                return;
            case JsonObject list when list["kind"]?.GetValue<string>() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && list["items"] is JsonArray items:
                items.ToList().ForEach(item => Add(item?.DeepClone(), source, documents));
                return;
            case JsonObject obj:
                var document = new ManifestDocument(obj, source);
                if (document.ApiVersion.Length == 0 || document.Kind.Length == 0 || document.Name.Length == 0)
                {
                    throw Invalid(source, $"every object needs apiVersion, kind and metadata.name; one has apiVersion '{document.ApiVersion}', kind '{document.Kind}', name '{document.Name}'");
                }
                documents.Add(document);
                return;
            default:
                throw Invalid(source, "a document is neither an object nor a list of objects");
        }
    }

    private static ClusterException Invalid(string source, string detail) =>
        new(ClusterErrors.ManifestInvalid, $"The manifest '{source}' cannot be read: {detail}", source);

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    /// <summary>Unquoted scalars as sigs.k8s.io/yaml types them: null, booleans, numbers, else strings.</summary>
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
