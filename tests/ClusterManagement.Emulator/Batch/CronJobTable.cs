using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Apps;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Tables;

namespace ClusterManagement.Emulator.Batch;

/// <summary>printers.go printCronJob: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE (jobs running), LAST SCHEDULE.</summary>
public sealed class CronJobTable : ITableConverter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        new("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        new("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
        new("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
        new("Active", "integer", "A list of pointers to currently running jobs."),
        new("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
        TableColumn.AgeColumn,
        new("Containers", "string", "Names of each container in the template.", Priority: 1),
        new("Images", "string", "Images referenced by each container in the template.", Priority: 1),
        new("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", Priority: 1),
    ];

    public JsonArray Cells(JsonObject cronJob, DateTimeOffset now)
    {
        var containers = cronJob.ObjectsAt("spec", "jobTemplate", "spec", "template", "spec", "containers").ToList();
        return
        [
            cronJob.Name(),
            cronJob.StringAt("spec", "schedule"),
            cronJob.StringAt("spec", "timeZone") ?? "<none>",
            cronJob.At("spec", "suspend") is null ? "<unset>" : cronJob.BoolAt("spec", "suspend") ? "True" : "False",
            cronJob.ObjectsAt("status", "active").Count(),
            cronJob.StringAt("status", "lastScheduleTime") is { } last ? HumanDuration.Since(last, now) : "<none>",
            HumanDuration.Since(cronJob.StringAt("metadata", "creationTimestamp"), now),
            string.Join(",", containers.Select(c => c.StringAt("name"))),
            string.Join(",", containers.Select(c => c.StringAt("image"))),
            LabelSelectors.Format(cronJob.At("spec", "jobTemplate", "spec", "selector") as JsonObject),
        ];
    }
}
