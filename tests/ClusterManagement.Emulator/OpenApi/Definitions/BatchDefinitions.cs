namespace ClusterManagement.Emulator.OpenApi.Definitions;

/// <summary>batch/v1 Jobs and CronJobs, from the Kubernetes API reference (v1.32).</summary>
public static class BatchDefinitions
{
    public const string Text = """
        package io.k8s.api.batch.v1
        Job kind=batch/v1 | Job represents the configuration of a single job.
          spec JobSpec | Specification of the desired behavior of a job.
          status JobStatus | Current status of a job.
        JobSpec | JobSpec describes how the job execution will look like.
          parallelism int32 | Specifies the maximum desired number of pods the job should run at any given time.
          completions int32 | Specifies the desired number of successfully finished pods the job should be run with.
          activeDeadlineSeconds int64 | Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it.
          podFailurePolicy PodFailurePolicy | Specifies the policy of handling failed pods.
          successPolicy SuccessPolicy | successPolicy specifies the policy when the Job can be declared as succeeded.
          backoffLimit int32 | Specifies the number of retries before marking this job failed. Defaults to 6
          backoffLimitPerIndex int32 | Specifies the limit for the number of retries within an index before marking this index as failed.
          maxFailedIndexes int32 | Specifies the maximal number of failed indexes before marking the Job as failed, when backoffLimitPerIndex is set.
          selector LabelSelector | A label query over pods that should match the pod count. Normally, the system sets this field for you.
          manualSelector boolean | manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing.
          template PodTemplateSpec required | Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure".
          ttlSecondsAfterFinished int32 | ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed).
          completionMode string | completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.
          suspend boolean | suspend specifies whether the Job controller should create Pods or not. Defaults to false.
          podReplacementPolicy string | podReplacementPolicy specifies when to create replacement Pods. Possible values are TerminatingOrFailed and Failed.
          managedBy string | ManagedBy field indicates the controller that manages a Job.
        PodFailurePolicy | PodFailurePolicy describes how failed pods influence the backoffLimit.
          rules []PodFailurePolicyRule required | A list of pod failure policy rules. The rules are evaluated in order.
        PodFailurePolicyRule | PodFailurePolicyRule describes how a pod failure is handled when the requirements are met.
          action string required | Specifies the action taken on a pod failure when the requirements are satisfied. Possible values are FailJob, FailIndex, Ignore and Count.
          onExitCodes PodFailurePolicyOnExitCodesRequirement | Represents the requirement on the container exit codes.
          onPodConditions []PodFailurePolicyOnPodConditionsPattern | Represents the requirement on the pod conditions.
        PodFailurePolicyOnExitCodesRequirement | PodFailurePolicyOnExitCodesRequirement describes the requirement for handling a failed pod based on its container exit codes.
          containerName string | Restricts the check for exit codes to the container with the specified name.
          operator string required | Represents the relationship between the container exit code(s) and the specified values. Possible values are In and NotIn.
          values []int32 required | Specifies the set of values. Each returned container exit code (might be multiple in case of multiple containers) is checked against this set of values with respect to the operator.
        PodFailurePolicyOnPodConditionsPattern | PodFailurePolicyOnPodConditionsPattern describes a pattern for matching an actual pod condition type.
          type string required | Specifies the required Pod condition type.
          status string required | Specifies the required Pod condition status. Defaults to True.
        SuccessPolicy | SuccessPolicy describes when a Job can be declared as succeeded based on the success of some indexes.
          rules []SuccessPolicyRule required | rules represents the list of alternative rules for the declaring the Jobs as successful before `.status.succeeded >= .spec.completions`.
        SuccessPolicyRule | SuccessPolicyRule describes rule for declaring a Job as succeeded. Each rule must have at least one of the "succeededIndexes" or "succeededCount" specified.
          succeededIndexes string | succeededIndexes specifies the set of indexes which need to be contained in the actual set of the succeeded indexes for the Job.
          succeededCount int32 | succeededCount specifies the minimal required size of the actual set of the succeeded indexes for the Job.
        JobStatus | JobStatus represents the current state of a Job.
          conditions []JobCondition merge=type strategy=merge | The latest available observations of an object's current state. When a Job fails, one of the conditions will have type "Failed" and status true.
          startTime time | Represents time when the job controller started processing a job.
          completionTime time | Represents time when the job was completed.
          active int32 | The number of pending and running pods which are not terminating (without a deletionTimestamp).
          succeeded int32 | The number of pods which reached phase Succeeded.
          failed int32 | The number of pods which reached phase Failed.
          terminating int32 | The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp).
          completedIndexes string | completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format.
          failedIndexes string | FailedIndexes holds the failed indexes when spec.backoffLimitPerIndex is set.
          uncountedTerminatedPods UncountedTerminatedPods | uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn't yet accounted for in the status counters.
          ready int32 | The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp).
        JobCondition | JobCondition describes current state of a job.
          type string required | Type of job condition, Complete or Failed.
          status string required | Status of the condition, one of True, False, Unknown.
          lastProbeTime time | Last time the condition was checked.
          lastTransitionTime time | Last time the condition transit from one status to another.
          reason string | (brief) reason for the condition's last transition.
          message string | Human readable message indicating details about last transition.
        UncountedTerminatedPods | UncountedTerminatedPods holds UIDs of Pods that have terminated but haven't been accounted in Job status counters.
          succeeded []string | succeeded holds UIDs of succeeded Pods.
          failed []string | failed holds UIDs of failed Pods.

        CronJob kind=batch/v1 | CronJob represents the configuration of a single cron job.
          spec CronJobSpec | Specification of the desired behavior of a cron job, including the schedule.
          status CronJobStatus | Current status of a cron job.
        CronJobSpec | CronJobSpec describes how the job execution will look like and when it will actually run.
          schedule string required | The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.
          timeZone string | The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.
          startingDeadlineSeconds int64 | Optional deadline in seconds for starting the job if it misses scheduled time for any reason.
          concurrencyPolicy string | Specifies how to treat concurrent executions of a Job. Valid values are "Allow" (default), "Forbid" and "Replace".
          suspend boolean | This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.
          jobTemplate JobTemplateSpec required | Specifies the job that will be created when executing a CronJob.
          successfulJobsHistoryLimit int32 | The number of successful finished jobs to retain. Value must be non-negative integer. Defaults to 3.
          failedJobsHistoryLimit int32 | The number of failed finished jobs to retain. Value must be non-negative integer. Defaults to 1.
        JobTemplateSpec | JobTemplateSpec describes the data a Job should have when created from a template
          metadata ObjectMeta | Standard object's metadata of the jobs created from this template.
          spec JobSpec | Specification of the desired behavior of the job.
        CronJobStatus | CronJobStatus represents the current state of a cron job.
          active []ObjectReference | A list of pointers to currently running jobs.
          lastScheduleTime time | Information when was the last time the job was successfully scheduled.
          lastSuccessfulTime time | Information when was the last time the job successfully completed.
        """;
}
