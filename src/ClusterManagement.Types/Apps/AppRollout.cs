using ClusterManagement.Connection;
using ClusterManagement.Diagnostics;

namespace ClusterManagement.Apps;

// long-backed so that plain ConvertTo-Json writes the name, not a number (it does so only for 64-bit enums).
public enum AppRolloutStatus : long
{
    /// <summary>Every replica runs the new template and is available.</summary>
    Complete,

    /// <summary>Still rolling out (not waited for, timed out or interrupted); the cluster carries on.</summary>
    Progressing,

    /// <summary>The progress deadline passed (ProgressDeadlineExceeded).</summary>
    Failed,

    /// <summary>Nothing to do: the app already runs that template.</summary>
    Skipped,
}

/// <summary>The outcome of a release, rollback, scale or wait.</summary>
public sealed class AppRollout : IClusterObject
{
    public string? Context { get; set; }
    public string? Cluster { get; set; }

    public required string App { get; init; }
    public required string Namespace { get; init; }
    public long? FromRevision { get; init; }
    public long? ToRevision { get; init; }
    public required ValueList<string> Images { get; init; }
    public required AppRolloutStatus Status { get; init; }

    /// <summary>kubectl's wording: "deployment "web" successfully rolled out", "skipped rollback (...)".</summary>
    public required string Message { get; init; }
    /// <summary>How long it took, as an ISO 8601 duration in whole seconds (PT21S); [System.Xml.XmlConvert]::ToTimeSpan reads it.</summary>
    public required string Duration { get; init; }

    /// <summary>Why a rollout that failed or was not complete when the wait ended is held back; null otherwise.</summary>
    public Diagnosis? Diagnosis { get; init; }
}
