using System.Text.Json.Nodes;
using ClusterManagement.Emulator.OpenApi.Definitions;

namespace ClusterManagement.Emulator.OpenApi;

/// <summary>
/// Every structure the emulator has a schema for, read once from the definitions. The OpenAPI
/// documents and field validation both come from here, so what kubectl is told and what the server
/// enforces cannot disagree. A kind without an entry has no schema: it is left out of the documents
/// and its writes are not checked.
/// </summary>
public sealed class SchemaCatalog
{
    public static SchemaCatalog Default { get; } = new(MetaDefinitions.Text, CoreDefinitions.Text, AppsDefinitions.Text, BatchDefinitions.Text, ClusterDefinitions.Text, AutoscalingDefinitions.Text, EventsDefinitions.Text);

    private readonly Dictionary<string, SchemaType> _byFullName = [];
    private readonly ILookup<string, SchemaType> _byShortName;
    private readonly Dictionary<KindId, SchemaType> _byKind = [];

    public SchemaCatalog(params string[] definitions)
    {
        foreach (var type in definitions.SelectMany(SchemaNotation.Parse))
        {
            if (!_byFullName.TryAdd(type.FullName, type))
            {
                throw new InvalidOperationException($"schema type {type.FullName} is defined twice");
            }
            if (type.Kind is { } kind)
            {
                _byKind[kind] = type;
            }
        }
        _byShortName = _byFullName.Values.ToLookup(t => t.ShortName);
        foreach (var named in _byFullName.Values.SelectMany(t => t.Fields).Select(f => Innermost(f.Type)).OfType<FieldType.Named>())
        {
            if (Find(named) is null)
            {
                throw new InvalidOperationException($"schema type {named.ShortName} is used in {named.Package} but not defined there, nor once elsewhere");
            }
        }
    }

    public IEnumerable<SchemaType> Types => _byFullName.Values;

    public SchemaType? ForKind(string group, string version, string kind) => _byKind.GetValueOrDefault(new KindId(group, version, kind));

    public SchemaType Resolve(FieldType.Named named) => Find(named)!;

    /// <summary>The reference's own package's type of that name, else the only one of that name (references across packages, ObjectMeta above all).</summary>
    private SchemaType? Find(FieldType.Named named) =>
        _byFullName.GetValueOrDefault($"{named.Package}.{named.ShortName}")
        ?? (_byShortName[named.ShortName].ToList() is [var only] ? only : null);

    /// <summary>The component names a kind's schema reaches, itself included: what its group-version document must carry.</summary>
    public IEnumerable<string> Closure(SchemaType root)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<SchemaType>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type.FullName))
            {
                continue;
            }
            foreach (var inner in type.Fields.Select(f => Innermost(f.Type)))
            {
                if (inner is FieldType.Named named)
                {
                    pending.Push(Resolve(named));
                }
                else if (inner is FieldType.Scalar { Component: { } component })
                {
                    seen.Add(component);
                }
            }
        }
        return seen;
    }

    /// <summary>A component's schema, with references in the form the document uses (<c>#/components/schemas/</c> or <c>#/definitions/</c>).</summary>
    public JsonObject Component(string fullName, string refPrefix)
    {
        if (_byFullName.GetValueOrDefault(fullName) is not { } type)
        {
            var scalar = ScalarComponents().First(s => s.Component == fullName);
            return WithFormat(new JsonObject { ["description"] = scalar.Description, ["type"] = scalar.JsonType }, scalar.Format);
        }
        var properties = new JsonObject();
        foreach (var field in type.Fields)
        {
            properties[field.Name] = FieldSchema(field, refPrefix);
        }
        var schema = new JsonObject { ["description"] = type.Description, ["type"] = "object", ["properties"] = properties };
        if (type.Fields.Where(f => f.Required).Select(f => (JsonNode)f.Name).ToArray() is { Length: > 0 } required)
        {
            schema["required"] = new JsonArray(required);
        }
        if (type.Kind is { } kind)
        {
            schema["x-kubernetes-group-version-kind"] = new JsonArray(GroupVersionKind(kind));
        }
        return schema;
    }

    public static JsonObject GroupVersionKind(KindId kind) => new() { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version };

    private IEnumerable<FieldType.Scalar> ScalarComponents() =>
        _byFullName.Values.SelectMany(t => t.Fields).Select(f => Innermost(f.Type)).OfType<FieldType.Scalar>().Where(s => s.Component is not null);

    private JsonObject FieldSchema(SchemaField field, string refPrefix)
    {
        var schema = field.Type switch
        {
            FieldType.Named or FieldType.Scalar { Component: not null } when refPrefix.StartsWith("#/components") =>
                new JsonObject { ["allOf"] = new JsonArray(Reference(field.Type, refPrefix)) },
            FieldType.Named or FieldType.Scalar { Component: not null } => Reference(field.Type, refPrefix),
            _ => TypeSchema(field.Type, refPrefix),
        };
        schema["description"] = field.Description;
        if (field.MergeKey is { } key)
        {
            schema["x-kubernetes-patch-merge-key"] = key;
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray(key);
        }
        if (field.PatchStrategy is { } strategy)
        {
            schema["x-kubernetes-patch-strategy"] = strategy;
        }
        return schema;
    }

    /// <summary>The schema of a value of <paramref name="type"/> where no description goes (list items, map values).</summary>
    private JsonObject TypeSchema(FieldType type, string refPrefix) => type switch
    {
        FieldType.Named or FieldType.Scalar { Component: not null } => Reference(type, refPrefix),
        FieldType.Scalar scalar => WithFormat(new JsonObject { ["type"] = scalar.JsonType }, scalar.Format),
        FieldType.ListOf list => new JsonObject { ["type"] = "array", ["items"] = TypeSchema(list.Item, refPrefix) },
        FieldType.MapOf map => new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(map.Value, refPrefix) },
        _ => new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
    };

    private JsonObject Reference(FieldType type, string refPrefix) => new()
    {
        ["$ref"] = refPrefix + (type is FieldType.Scalar scalar ? scalar.Component : Resolve((FieldType.Named)type).FullName),
    };

    private static JsonObject WithFormat(JsonObject schema, string? format)
    {
        if (format is not null)
        {
            schema["format"] = format;
        }
        return schema;
    }

    private static FieldType Innermost(FieldType type) => type switch
    {
        FieldType.ListOf list => Innermost(list.Item),
        FieldType.MapOf map => Innermost(map.Value),
        _ => type,
    };
}
