using System.Globalization;
using k8s.Models;

using ClusterManagement.Apps;

namespace ClusterManagement.Engine.Apps;

/// <summary>kubectl's pkg/util/deployment: which ReplicaSets belong to a Deployment and the revision each holds.</summary>
internal static class DeploymentHistory
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";

    /// <summary>Those with a controller ownerReference naming the Deployment's uid.</summary>
    public static IReadOnlyList<V1ReplicaSet> Owned(V1Deployment deployment, IEnumerable<V1ReplicaSet> sets) =>
        sets.Where(rs => rs.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == deployment.Metadata.Uid) == true).ToList();

    /// <summary>The integer in deployment.kubernetes.io/revision; a missing or malformed one counts as 0, as in kubectl.</summary>
    public static long Revision(V1ObjectMeta? metadata) =>
        metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var text) == true
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>FindNewReplicaSet: the oldest set whose template equals the Deployment's, ignoring the hash label.</summary>
    public static V1ReplicaSet? Current(V1Deployment deployment, IEnumerable<V1ReplicaSet> owned) =>
        owned.OrderBy(rs => rs.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault(rs => Templates.EqualIgnoreHash(rs.Spec.Template, deployment.Spec.Template));

    public static IReadOnlyList<AppRevision> Revisions(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> owned)
    {
        var current = Current(deployment, owned);
        return owned
            .Select(rs => new AppRevision
            {
                App = deployment.Metadata.Name,
                Namespace = deployment.Metadata.NamespaceProperty,
                Revision = Revision(rs.Metadata),
                Images = rs.Spec.Template?.Spec?.Containers?.Select(c => c.Image ?? "").ToArray() ?? [],
                ChangeCause = rs.Metadata.Annotations?.TryGetValue(ChangeCauseAnnotation, out var cause) == true && cause.Length > 0 ? cause : null,
                Created = DateTime.SpecifyKind(rs.Metadata.CreationTimestamp ?? DateTime.MinValue, DateTimeKind.Utc),
                ReplicaSet = rs.Metadata.Name,
                Replicas = rs.Spec.Replicas ?? 0,
                IsCurrent = ReferenceEquals(rs, current),
                PreviousRevisions = rs.Metadata.Annotations?.TryGetValue(RevisionHistoryAnnotation, out var history) == true
                    ? [.. history.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(h => long.TryParse(h, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0)]
                    : [],
            })
            .OrderBy(r => r.Revision)
            .ToList();
    }
}
