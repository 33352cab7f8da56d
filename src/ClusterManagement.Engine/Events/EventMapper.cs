using ClusterManagement.Events;
using k8s.Models;

namespace ClusterManagement.Engine.Events;

/// <summary>
/// Both event APIs to one <see cref="ClusterEvent"/>, with kubectl events' reading of a series: the
/// series' count and last observation when there is one, else the deprecated count and timestamps.
/// </summary>
internal static class EventMapper
{
    public static ClusterEvent FromCore(Corev1Event e)
    {
        var first = e.FirstTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue;
        return Build(
            e.Metadata,
            e.InvolvedObject,
            first,
            e.Series?.LastObservedTime ?? e.LastTimestamp ?? e.EventTime ?? first,
            e.Series?.Count ?? e.Count,
            e.Type,
            e.Reason,
            e.Message,
            Reporter(e.ReportingComponent, e.Source?.Component, e.Source?.Host),
            e.Action);
    }

    public static ClusterEvent FromEventsV1(Eventsv1Event e)
    {
        var first = e.DeprecatedFirstTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue;
        return Build(
            e.Metadata,
            e.Regarding,
            first,
            e.Series?.LastObservedTime ?? e.DeprecatedLastTimestamp ?? e.EventTime ?? first,
            e.Series?.Count ?? e.DeprecatedCount,
            e.Type,
            e.Reason,
            e.Note,
            Reporter(e.ReportingController, e.DeprecatedSource?.Component, e.DeprecatedSource?.Host),
            e.Action);
    }

    private static ClusterEvent Build(
        V1ObjectMeta metadata, V1ObjectReference? regarding, DateTime first, DateTime last, int? count,
        string? type, string? reason, string? message, string? source, string? action)
    {
        var involved = new ClusterEventObject
        {
            Kind = regarding?.Kind ?? "",
            Name = regarding?.Name ?? "",
            Namespace = string.IsNullOrEmpty(regarding?.NamespaceProperty) ? null : regarding.NamespaceProperty,
            ApiVersion = regarding?.ApiVersion,
            Uid = regarding?.Uid,
            FieldPath = string.IsNullOrEmpty(regarding?.FieldPath) ? null : regarding.FieldPath,
        };
        return new ClusterEvent
        {
            Name = metadata.Name,
            Namespace = metadata.NamespaceProperty ?? "",
            FirstSeen = first.ToUniversalTime(),
            LastSeen = last.ToUniversalTime(),
            Count = Math.Max(count ?? 1, 1),
            Type = string.Equals(type, "Warning", StringComparison.Ordinal) ? ClusterEventType.Warning : ClusterEventType.Normal,
            Reason = reason ?? "",
            Object = $"{involved.Kind.ToLowerInvariant()}/{involved.Name}",
            Message = string.IsNullOrEmpty(message) ? null : message.Trim(),
            Source = source,
            Action = string.IsNullOrEmpty(action) ? null : action,
            InvolvedObject = involved,
        };
    }

    /// <summary>The reporting component (events.k8s.io), else the old source, with its host as kubectl describe shows it.</summary>
    private static string? Reporter(string? reporting, string? component, string? host)
    {
        var who = string.IsNullOrEmpty(reporting) ? component : reporting;
        if (string.IsNullOrEmpty(who))
        {
            return null;
        }

        return string.IsNullOrEmpty(host) ? who : $"{who}, {host}";
    }
}
