namespace ClusterManagement.Emulator.OpenApi;

/// <summary>What a field holds: a scalar, a named structure, a list, a map, or anything (RawExtension-like).</summary>
public abstract record FieldType
{
    /// <summary>A JSON scalar; <see cref="Component"/> names the apimachinery type it is published as (Quantity, Time, IntOrString).</summary>
    public sealed record Scalar(string JsonType, string? Format, string? Component = null, string? Description = null) : FieldType;

    /// <summary>A structure by its short name; <see cref="Package"/> is where the reference was written, whose own type of that name wins (autoscaling v1 and v2 both have a HorizontalPodAutoscalerSpec).</summary>
    public sealed record Named(string ShortName, string? Package = null) : FieldType;

    public sealed record ListOf(FieldType Item) : FieldType;

    public sealed record MapOf(FieldType Value) : FieldType;

    /// <summary>Any JSON object: kept as sent, never checked (the real types hold raw JSON here).</summary>
    public sealed record Open : FieldType;
}

/// <summary>One field of a structure, with what strategic merge and server-side apply need to know about lists.</summary>
public sealed record SchemaField(string Name, FieldType Type, bool Required, string Description, string? MergeKey, string? PatchStrategy);

/// <summary>A structure of the Kubernetes API (a kind or a part of one), named as the published OpenAPI names it.</summary>
public sealed record SchemaType(string FullName, string ShortName, string Description, IReadOnlyList<SchemaField> Fields, KindId? Kind)
{
    public SchemaField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}

public sealed record KindId(string Group, string Version, string Kind);
