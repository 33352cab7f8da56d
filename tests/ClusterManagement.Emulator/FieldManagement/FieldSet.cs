using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.FieldManagement;

/// <summary>
/// A set of field paths as structured-merge-diff keeps it (fieldpath.Set), in its FieldsV1 shape: a
/// tree whose edges are path elements (<c>f:name</c> a field, <c>k:{"name":"web"}</c> an item of a
/// keyed list, <c>v:"x"</c> an item of a set list) and whose nodes are members of the set or only
/// lead to members (a member that also has children is written with <c>".": {}</c>).
/// </summary>
public sealed class FieldSet
{
    private const string Self = ".";

    /// <summary>Keys of keyed-list items are JSON with sorted keys and no escaping of '&lt;', '+' and the like, as Go writes them.</summary>
    private static readonly JsonSerializerOptions KeyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SortedDictionary<string, FieldSet> _children = new(StringComparer.Ordinal);

    public bool IsMember { get; private set; }

    public IReadOnlyDictionary<string, FieldSet> Children => _children;

    public bool IsEmpty => !IsMember && _children.Count == 0;

    public static string Field(string name) => "f:" + name;

    public static string Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields) =>
        "k:" + new JsonObject(fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone()))).ToJsonString(KeyJson);

    public static string Value(JsonNode? value) => "v:" + (value?.ToJsonString(KeyJson) ?? "null");

    /// <summary>The child for <paramref name="element"/>, created when missing.</summary>
    public FieldSet Child(string element)
    {
        if (!_children.TryGetValue(element, out var child))
        {
            _children[element] = child = new FieldSet();
        }
        return child;
    }

    public FieldSet? Find(string element) => _children.GetValueOrDefault(element);

    public void MarkMember() => IsMember = true;

    /// <summary>Adds the path <paramref name="path"/> as a member.</summary>
    public void Insert(IEnumerable<string> path) => path.Aggregate(this, (node, element) => node.Child(element)).MarkMember();

    public FieldSet Union(FieldSet other)
    {
        var result = Clone();
        result.AddAll(other);
        return result;
    }

    /// <summary>Members of this set that are not members of <paramref name="other"/>.</summary>
    public FieldSet Difference(FieldSet other) => Combine(other, (mine, theirs) => mine && !theirs, keepUnmatched: true);

    public FieldSet Intersection(FieldSet other) => Combine(other, (mine, theirs) => mine && theirs, keepUnmatched: false);

    /// <summary>This set without everything at or below the members of <paramref name="other"/>.</summary>
    public FieldSet WithoutSubtrees(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember };
        foreach (var (element, child) in _children)
        {
            var theirs = other.Find(element);
            if (theirs is { IsMember: true })
            {
                continue;
            }
            var rest = theirs is null ? child.Clone() : child.WithoutSubtrees(theirs);
            if (!rest.IsEmpty)
            {
                result._children[element] = rest;
            }
        }
        return result;
    }

    /// <summary>The paths of all members, each as its path elements.</summary>
    public IEnumerable<IReadOnlyList<string>> Members()
    {
        if (IsMember)
        {
            yield return [];
        }
        foreach (var (element, child) in _children)
        {
            foreach (var path in child.Members())
            {
                yield return [element, .. path];
            }
        }
    }

    public JsonObject ToFieldsV1()
    {
        var json = new JsonObject();
        if (IsMember && _children.Count > 0)
        {
            json[Self] = new JsonObject();
        }
        foreach (var (element, child) in _children)
        {
            json[element] = child.ToFieldsV1();
        }
        return json;
    }

    public static FieldSet FromFieldsV1(JsonObject? json)
    {
        var set = new FieldSet();
        foreach (var (element, value) in json ?? [])
        {
            if (element == Self)
            {
                continue;
            }
            var child = FromFieldsV1(value as JsonObject);
            child.IsMember = value is not JsonObject { Count: > 0 } || value.AsObject().ContainsKey(Self);
            set._children[element] = child;
        }
        return set;
    }

    /// <summary>A path as the API server prints it in conflicts: <c>.spec.template.spec.containers[name="web"].image</c>.</summary>
    public static string PathString(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f':
                    text.Append('.').Append(body);
                    break;
                case 'k':
                    var fields = JsonNode.Parse(body)!.AsObject().Select(p => $"{p.Key}={GoValue(p.Value)}");
                    text.Append('[').Append(string.Join(',', fields)).Append(']');
                    break;
                case 'v':
                    text.Append("[=").Append(GoValue(JsonNode.Parse(body))).Append(']');
                    break;
                default:
                    text.Append('[').Append(body).Append(']');
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>value.ToString of structured-merge-diff: strings quoted (%q), numbers and booleans bare.</summary>
    private static string GoValue(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => JsonSerializer.Serialize(s, KeyJson),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    private FieldSet Clone()
    {
        var copy = new FieldSet { IsMember = IsMember };
        foreach (var (element, child) in _children)
        {
            copy._children[element] = child.Clone();
        }
        return copy;
    }

    private void AddAll(FieldSet other)
    {
        IsMember |= other.IsMember;
        foreach (var (element, child) in other._children)
        {
            Child(element).AddAll(child);
        }
    }

    private FieldSet Combine(FieldSet other, Func<bool, bool, bool> member, bool keepUnmatched)
    {
        var result = new FieldSet { IsMember = member(IsMember, other.IsMember) };
        foreach (var (element, child) in _children)
        {
            var rest = other.Find(element) is { } theirs ? child.Combine(theirs, member, keepUnmatched)
                : keepUnmatched ? child.Clone()
                : null;
            if (rest is { IsEmpty: false })
            {
                result._children[element] = rest;
            }
        }
        return result;
    }
}
