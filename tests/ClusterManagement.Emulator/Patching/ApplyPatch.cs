using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ClusterManagement.Emulator.Patching;

/// <summary>
/// Server-side apply, simplified to what manifests need: the applied configuration merges into the
/// live object (maps by key, lists and scalars replaced whole), each field manager's fields are
/// recorded in managedFields (FieldsV1, lists as leaves), and fields a manager applied before but no
/// longer applies are removed unless another manager owns them. No conflict detection: every apply
/// behaves as with force=true.
/// </summary>
public static class ApplyPatch
{
    public const string MediaType = "application/apply-patch+yaml";

    private static readonly HashSet<string> Unowned = ["apiVersion", "kind", "status"];
    private static readonly HashSet<string> UnownedMetadata = ["name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds"];

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

    /// <summary>The live object after <paramref name="manager"/> applies <paramref name="applied"/>; <paramref name="changed"/> is false for a no-op.</summary>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, string apiVersion, DateTimeOffset now, out bool changed)
    {
        var result = live?.DeepClone().AsObject() ?? new JsonObject();
        var entries = result.ObjectsAt("metadata", "managedFields").Select(e => e.DeepClone().AsObject()).ToList();
        var mine = entries.FirstOrDefault(e => e.StringAt("manager") == manager && e.StringAt("operation") == "Apply");
        var before = mine?["fieldsV1"] as JsonObject ?? [];
        var after = FieldSet(applied);
        var others = entries.Where(e => e != mine).Select(e => e["fieldsV1"] as JsonObject ?? []).ToList();
        RemoveDropped(result, before, after, others);
        Merge(result, applied);
        var withoutFields = result.DeepClone().AsObject();
        withoutFields.Metadata().Remove("managedFields");
        var liveWithoutFields = live?.DeepClone().AsObject();
        liveWithoutFields?.Metadata().Remove("managedFields");
        changed = live is null || !JsonNode.DeepEquals(withoutFields, liveWithoutFields) || !JsonNode.DeepEquals(before, after);
        entries.Remove(mine!);
        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = apiVersion,
            ["time"] = Timestamps.Format(now),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = after,
        });
        result.Metadata()["managedFields"] = new JsonArray([.. entries]);
        return result;
    }

    private static JsonObject FieldSet(JsonObject applied)
    {
        var set = new JsonObject();
        foreach (var (key, value) in applied)
        {
            if (Unowned.Contains(key))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                var metaSet = new JsonObject();
                foreach (var (metaKey, metaValue) in meta.Where(p => !UnownedMetadata.Contains(p.Key)))
                {
                    metaSet["f:" + metaKey] = metaValue is JsonObject map ? Leaves(map) : new JsonObject();
                }
                if (metaSet.Count > 0)
                {
                    set["f:metadata"] = metaSet;
                }
                continue;
            }
            set["f:" + key] = value is JsonObject child ? Leaves(child) : new JsonObject();
        }
        return set;
    }

    private static JsonObject Leaves(JsonObject obj)
    {
        var set = new JsonObject();
        foreach (var (key, value) in obj)
        {
            set["f:" + key] = value is JsonObject child ? Leaves(child) : new JsonObject();
        }
        return set;
    }

    private static void RemoveDropped(JsonObject target, JsonObject before, JsonObject after, IReadOnlyList<JsonObject> others)
    {
        foreach (var (field, owned) in before)
        {
            var key = field[2..];
            var stillApplied = after[field] as JsonObject;
            var othersBelow = others.Select(o => o[field]).OfType<JsonObject>().ToList();
            if (stillApplied is null && othersBelow.Count == 0)
            {
                target.Remove(key);
            }
            else if (owned is JsonObject { Count: > 0 } ownedBelow && target[key] is JsonObject child)
            {
                RemoveDropped(child, ownedBelow, stillApplied ?? [], othersBelow);
            }
        }
    }

    private static void Merge(JsonObject target, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject map && target[key] is JsonObject existing)
            {
                Merge(existing, map);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
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
