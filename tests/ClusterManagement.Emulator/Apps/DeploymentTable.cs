using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Apps;

/// <summary>printers.go printDeployment: READY is ready/desired; wide adds containers, images and the selector.</summary>
public sealed class DeploymentTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Ready", "string", "Number of the pod with ready state"),
        new("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        new("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        TableColumn.AgeColumn,
        new("Containers", "string", "Names of each container in the template.", Priority: 1),
        new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
        new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject deployment, DateTimeOffset now)
    {
        var containers = deployment.ObjectsAt("spec", "template", "spec", "containers").ToList();
        return
        [
            deployment.Name(),
            $"{deployment.LongAt("status", "readyReplicas") ?? 0}/{deployment.LongAt("spec", "replicas") ?? 0}",
            deployment.LongAt("status", "updatedReplicas") ?? 0,
            deployment.LongAt("status", "availableReplicas") ?? 0,
            HumanDuration.Since(deployment.StringAt("metadata", "creationTimestamp"), now),
            string.Join(",", containers.Select(c => c.StringAt("name"))),
            string.Join(",", containers.Select(c => c.StringAt("image"))),
            LabelSelectors.Format(deployment.At("spec", "selector") as JsonObject),
        ];
    }
}
