using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kinds;

/// <summary>
/// The kinds kubectl's generators create (<c>kubectl create job|cronjob|priorityclass|quota</c>): stored and
/// served, with discovery's short names, status subresources and printers, and Job templates validated as the
/// real server does first. The Batch and Quota modules run them; no pod priority is resolved.
/// </summary>
public sealed class GeneratedObjectKindsModule : IEmulatorModule
{
    public static readonly ResourceKind Jobs = new()
    {
        Group = "batch", Version = "v1", Plural = "jobs", Singular = "job", Kind = "Job",
        Namespaced = true, Categories = ["all"], Subresources = [Subresource.Status("Job")],
        Table = new Batch.JobTable(),
    };

    public static readonly ResourceKind CronJobs = new()
    {
        Group = "batch", Version = "v1", Plural = "cronjobs", Singular = "cronjob", Kind = "CronJob",
        Namespaced = true, ShortNames = ["cj"], Categories = ["all"], Subresources = [Subresource.Status("CronJob")],
        Table = new Batch.CronJobTable(),
    };

    public static readonly ResourceKind PriorityClasses = new()
    {
        Group = "scheduling.k8s.io", Version = "v1", Plural = "priorityclasses", Singular = "priorityclass", Kind = "PriorityClass",
        Namespaced = false, ShortNames = ["pc"],
    };

    public static readonly ResourceKind ResourceQuotas = new()
    {
        Group = "", Version = "v1", Plural = "resourcequotas", Singular = "resourcequota", Kind = "ResourceQuota",
        Namespaced = true, ShortNames = ["quota"], Subresources = [Subresource.Status("ResourceQuota")],
        Table = new Quota.ResourceQuotaTable(),
    };

    public void Register(EmulatorBuilder builder)
    {
        foreach (var kind in new[] { Jobs, CronJobs, PriorityClasses, ResourceQuotas })
        {
            builder.AddKind(kind);
        }
        builder.AddAdmission(new JobTemplateAdmission());
    }
}
