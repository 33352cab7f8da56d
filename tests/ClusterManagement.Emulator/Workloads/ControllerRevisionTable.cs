using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>printers.go printControllerRevision: CONTROLLER as kind.group/name of the controller reference, or &lt;none&gt;.</summary>
public sealed class ControllerRevisionTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Controller", "string", "Controller of the object"),
        new("Revision", "string", "Revision indicates the revision of the state represented by Data."),
        TableColumn.AgeColumn,
    ];

    public JsonArray Cells(JsonObject revision, DateTimeOffset now)
    {
        var controller = revision.ObjectsAt("metadata", "ownerReferences").FirstOrDefault(o => o.BoolAt("controller"));
        var group = controller?.StringAt("apiVersion") is { } apiVersion && apiVersion.Contains('/') ? "." + apiVersion[..apiVersion.IndexOf('/')] : "";
        return
        [
            revision.Name(),
            controller is null ? "<none>" : $"{controller.StringAt("kind")!.ToLowerInvariant()}{group}/{controller.StringAt("name")}",
            revision.LongAt("revision") ?? 0,
            HumanDuration.Since(revision.StringAt("metadata", "creationTimestamp"), now),
        ];
    }
}
