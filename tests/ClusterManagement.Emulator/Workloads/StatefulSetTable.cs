using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>printers.go printStatefulSet: READY as ready/desired; wide adds containers and images.</summary>
public sealed class StatefulSetTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Ready", "string", "Number of the pod with ready state"),
        TableColumn.AgeColumn,
        new("Containers", "string", "Names of each container in the template.", Priority: 1),
        new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject set, DateTimeOffset now)
    {
        var containers = set.ObjectsAt("spec", "template", "spec", "containers").ToList();
        return
        [
            set.Name(),
            $"{set.LongAt("status", "readyReplicas") ?? 0}/{set.LongAt("spec", "replicas") ?? 1}",
            HumanDuration.Since(set.StringAt("metadata", "creationTimestamp"), now),
            string.Join(",", containers.Select(c => c.StringAt("name"))),
            string.Join(",", containers.Select(c => c.StringAt("image"))),
        ];
    }
}
