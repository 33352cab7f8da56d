namespace ClusterManagement.Emulator.OpenApi;

/// <summary>
/// Reads the compact notation the definitions are written in, one line per type or field:
/// <code>
/// package io.k8s.api.apps.v1
/// Deployment kind=apps/v1 | Deployment enables declarative updates for Pods and ReplicaSets.
///   spec DeploymentSpec | Specification of the desired behavior of the Deployment.
///   containers []Container required merge=name strategy=merge | List of containers belonging to the pod.
/// </code>
/// Field types: string, int32, int64, boolean, double, bytes, quantity, intstr, time, microtime,
/// object (anything), a type's short name, []T (list) and {}T (map). A kind (kind=group/version,
/// kind=v1 for the core group) gets apiVersion, kind and metadata first, as every kind has them.
/// </summary>
public static class SchemaNotation
{
    private const string MetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1";

    private static readonly Dictionary<string, FieldType> Scalars = new()
    {
        ["string"] = new FieldType.Scalar("string", null),
        ["int32"] = new FieldType.Scalar("integer", "int32"),
        ["int64"] = new FieldType.Scalar("integer", "int64"),
        ["boolean"] = new FieldType.Scalar("boolean", null),
        ["double"] = new FieldType.Scalar("number", "double"),
        ["bytes"] = new FieldType.Scalar("string", "byte"),
        ["quantity"] = new FieldType.Scalar("string", null, "io.k8s.apimachinery.pkg.api.resource.Quantity",
            "Quantity is a fixed-point representation of a number, serialized as a string such as 1Gi, 500m or 2."),
        ["intstr"] = new FieldType.Scalar("string", "int-or-string", "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
            "IntOrString is a type that can hold an int32 or a string."),
        ["time"] = new FieldType.Scalar("string", "date-time", $"{MetaPackage}.Time",
            "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON, in RFC 3339 form."),
        ["microtime"] = new FieldType.Scalar("string", "date-time", $"{MetaPackage}.MicroTime",
            "MicroTime is version of Time with microsecond level precision."),
        ["object"] = new FieldType.Open(),
    };

    private static readonly SchemaField[] KindHeader =
    [
        new("apiVersion", Scalars["string"], false,
            "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.", null, null),
        new("kind", Scalars["string"], false,
            "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.", null, null),
        new("metadata", new FieldType.Named("ObjectMeta"), false,
            "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", null, null),
    ];

    public static IEnumerable<SchemaType> Parse(string text)
    {
        string? package = null;
        (string Short, string FullName, string Description, KindId? Kind, List<SchemaField> Fields)? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var (head, description) = Split(line);
            var words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] == "package")
            {
                package = words[1];
            }
            else if (line.StartsWith(' '))
            {
                var fields = current?.Fields ?? throw new FormatException($"field before any type: '{line}'");
                fields.Add(Field(words, description, package));
            }
            else
            {
                if (current is { } done)
                {
                    yield return new SchemaType(done.FullName, done.Short, done.Description, done.Fields, done.Kind);
                }
                var kind = words.Skip(1).FirstOrDefault(w => w.StartsWith("kind=")) is { } k ? KindOf(k["kind=".Length..], words[0]) : null;
                // The type belongs to the package it is written in, not to one a later line opens.
                current = (words[0], $"{package}.{words[0]}", description, kind, kind is null ? [] : [.. KindHeader]);
            }
        }
        if (current is { } last)
        {
            yield return new SchemaType(last.FullName, last.Short, last.Description, last.Fields, last.Kind);
        }
    }

    private static (string Head, string Description) Split(string line)
    {
        var bar = line.IndexOf(" | ", StringComparison.Ordinal);
        return bar < 0 ? (line.Trim(), "") : (line[..bar].Trim(), line[(bar + 3)..].Trim());
    }

    private static KindId KindOf(string groupVersion, string kind)
    {
        var slash = groupVersion.IndexOf('/');
        return slash < 0 ? new KindId("", groupVersion, kind) : new KindId(groupVersion[..slash], groupVersion[(slash + 1)..], kind);
    }

    private static SchemaField Field(string[] words, string description, string? package)
    {
        string? Flag(string name) => words.Skip(2).FirstOrDefault(w => w.StartsWith(name + "="))?[(name.Length + 1)..];
        return new SchemaField(words[0], TypeOf(words[1], package), words.Skip(2).Contains("required"), description, Flag("merge"), Flag("strategy"));
    }

    private static FieldType TypeOf(string notation, string? package) => notation switch
    {
        _ when notation.StartsWith("[]") => new FieldType.ListOf(TypeOf(notation[2..], package)),
        _ when notation.StartsWith("{}") => new FieldType.MapOf(TypeOf(notation[2..], package)),
        _ => Scalars.GetValueOrDefault(notation) ?? new FieldType.Named(notation, package),
    };
}
