using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Workloads;

/// <summary>printers.go printDaemonSet: the five counts, the node selector; wide adds containers, images and the selector.</summary>
public sealed class DaemonSetTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        new("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        new("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
        new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
        new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        TableColumn.AgeColumn,
        new("Containers", "string", "Names of each container in the template.", Priority: 1),
        new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
        new("Selector", "string", "A label query over pods that are managed by the daemon set.", Priority: 1),
    ];

    public JsonArray Cells(JsonObject ds, DateTimeOffset now)
    {
        var containers = ds.ObjectsAt("spec", "template", "spec", "containers").ToList();
        var nodeSelector = ds.At("spec", "template", "spec", "nodeSelector") as JsonObject ?? [];
        return
        [
            ds.Name(),
            ds.LongAt("status", "desiredNumberScheduled") ?? 0,
            ds.LongAt("status", "currentNumberScheduled") ?? 0,
            ds.LongAt("status", "numberReady") ?? 0,
            ds.LongAt("status", "updatedNumberScheduled") ?? 0,
            ds.LongAt("status", "numberAvailable") ?? 0,
            nodeSelector.Count == 0 ? "<none>" : string.Join(",", nodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            HumanDuration.Since(ds.StringAt("metadata", "creationTimestamp"), now),
            string.Join(",", containers.Select(c => c.StringAt("name"))),
            string.Join(",", containers.Select(c => c.StringAt("image"))),
            LabelSelectors.Format(ds.At("spec", "selector") as JsonObject),
        ];
    }
}
