using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Tables;

/// <summary>
/// A kind's server-side printer (what pkg/printers/internalversion does for the real server).
/// The server always produces every column; priority 1 columns are the ones kubectl shows only with -o wide.
/// </summary>
public interface ITableConverter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>One cell per column, in column order.</summary>
    JsonArray Cells(JsonObject obj, DateTimeOffset now);
}

public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    public static TableColumn NameColumn { get; } = new("Name", "string",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        Format: "name");

    public static TableColumn AgeColumn { get; } = new("Age", "string",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
