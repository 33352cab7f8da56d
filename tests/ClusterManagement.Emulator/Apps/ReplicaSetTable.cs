using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Apps;

/// <summary>printers.go printReplicaSet: DESIRED, CURRENT, READY; wide adds containers, images and the selector.</summary>
public sealed class ReplicaSetTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Desired", "integer", "Number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1."),
        new("Current", "integer", "Replicas is the most recently observed number of replicas."),
        new("Ready", "integer", "The number of ready replicas for this replica set."),
        TableColumn.AgeColumn,
        new("Containers", "string", "Names of each container in the template.", Priority: 1),
        new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
        new("Selector", "string", "A label query over pods that should match the replica count.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject rs, DateTimeOffset now)
    {
        var containers = rs.ObjectsAt("spec", "template", "spec", "containers").ToList();
        return
        [
            rs.Name(),
            rs.LongAt("spec", "replicas") ?? 0,
            rs.LongAt("status", "replicas") ?? 0,
            rs.LongAt("status", "readyReplicas") ?? 0,
            HumanDuration.Since(rs.StringAt("metadata", "creationTimestamp"), now),
            string.Join(",", containers.Select(c => c.StringAt("name"))),
            string.Join(",", containers.Select(c => c.StringAt("image"))),
            LabelSelectors.Format(rs.At("spec", "selector") as JsonObject),
        ];
    }
}
