namespace ClusterManagement.Diagnostics;

/// <summary>
/// Why an operation that waited on the cluster did not reach its goal, read from the cluster when it gave up
/// (pod and container states, conditions, events), so that a pipeline log answers what `kubectl describe`
/// and `kubectl get events` would have: on the result object and in the error record.
/// </summary>
public sealed record Diagnosis(DiagnosisCause Cause, string Summary, IReadOnlyList<DiagnosedObject> Affected, IReadOnlyList<DiagnosisEvidence> Evidence)
{
    public override string ToString() => Summary;
}

/// <summary>The cause a diagnosis names; <see cref="Unknown"/> when the cluster shows none of the known ones.</summary>
public enum DiagnosisCause : long
{
    Unknown,
    ImagePullFailed,
    CrashLoop,
    Unschedulable,
    QuotaExceeded,
    ReadinessProbeFailing,
    NoCsiDriver,
    NoDefaultStorageClass,
    ProvisioningFailed,
    WaitingForFirstConsumer,
    ResizeIncomplete,
    NodeNotReady,
    DrainBlockedByDisruptionBudget,
    StorageClassNotFound,
}

/// <summary>An object the cause concerns (a pod that is not ready, a claim, a node), with its own state.</summary>
public sealed record DiagnosedObject(string Kind, string? Namespace, string Name, string? State);

/// <summary>
/// One fact the diagnosis rests on: an event (<see cref="Source"/> "Event", with its reason and count), a
/// container state, a condition; in the cluster's own words.
/// </summary>
public sealed record DiagnosisEvidence(string Source, string Object, string Reason, string Message, int? Count = null, DateTimeOffset? LastSeen = null);
