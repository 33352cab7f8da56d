using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Batch;

/// <summary>printers.go printJob: STATUS from the conditions, COMPLETIONS succeeded/wanted, DURATION start to completion (or now).</summary>
public sealed class JobTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Status", "string", "Status of the job."),
        new("Completions", "string", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
        new("Duration", "string", "Time required to complete the job."),
        TableColumn.AgeColumn,
        new("Containers", "string", "Names of each container in the template.", Priority: 1),
        new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
        new("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", Priority: 1),
    ];

    public JsonArray Cells(JsonObject job, DateTimeOffset now)
    {
        var succeeded = job.LongAt("status", "succeeded") ?? 0;
        var parallelism = job.LongAt("spec", "parallelism") ?? 0;
        var completions = job.LongAt("spec", "completions") is { } wanted ? $"{succeeded}/{wanted}"
            : parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        var start = Timestamps.Parse(job.StringAt("status", "startTime"));
        var duration = start is null ? "" : HumanDuration.Format((Timestamps.Parse(job.StringAt("status", "completionTime")) ?? now) - start.Value);
        var containers = job.ObjectsAt("spec", "template", "spec", "containers").ToList();
        return
        [
            job.Name(),
            StatusOf(job),
            completions,
            duration,
            HumanDuration.Since(job.StringAt("metadata", "creationTimestamp"), now),
            string.Join(",", containers.Select(c => c.StringAt("name"))),
            string.Join(",", containers.Select(c => c.StringAt("image"))),
            LabelSelectors.Format(job.At("spec", "selector") as JsonObject),
        ];
    }

    private static string StatusOf(JsonObject job)
    {
        bool Has(string type) => job.ObjectsAt("status", "conditions").Any(c => c.StringAt("type") == type && c.StringAt("status") == "True");
        return Has("Complete") ? "Complete"
            : Has("Failed") ? "Failed"
            : job.At("metadata", "deletionTimestamp") is not null ? "Terminating"
            : Has("Suspended") ? "Suspended"
            : Has("FailureTarget") ? "FailureTarget"
            : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : "Running";
    }
}
