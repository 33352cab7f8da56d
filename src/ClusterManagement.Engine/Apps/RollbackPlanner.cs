using ClusterManagement.Diagnostics;
using ClusterManagement.Apps;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Apps;

/// <summary>What a rollback will do: nothing (the template already matches) or a JSON patch.</summary>
internal sealed record RollbackPlan(long TargetRevision, V1ReplicaSet Target, string? Patch, string? SkipMessage);

/// <summary>kubectl rollout undo (pkg/polymorphichelpers/rollback.go DeploymentRollbacker), step for step.</summary>
internal static class RollbackPlanner
{
    /// <summary>Deployment annotations the rollback keeps; every other one comes from the target ReplicaSet.</summary>
    public static readonly IReadOnlySet<string> AnnotationsToSkip = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        DeploymentHistory.RevisionAnnotation,
        DeploymentHistory.RevisionHistoryAnnotation,
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };

    /// <param name="toRevision">0 for the previous revision.</param>
    public static RollbackPlan Plan(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> owned, long toRevision)
    {
        var name = deployment.Metadata.Name;
        var target = Find(deployment, owned, toRevision);
        if (deployment.Spec.Paused == true)
        {
            throw new ClusterException(ClusterErrors.AppPaused, "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again", name);
        }
        var revision = DeploymentHistory.Revision(target.Metadata);
        if (Templates.EqualIgnoreHash(target.Spec.Template, deployment.Spec.Template))
        {
            // kubectl prints the revision asked for (0 when none was), not the one found.
            return new RollbackPlan(revision, target, null, $"skipped rollback (current template already matches revision {toRevision})");
        }
        var template = Templates.WithoutHash(target.Spec.Template)!;
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in AnnotationsToSkip)
        {
            if (deployment.Metadata.Annotations?.TryGetValue(key, out var value) == true)
            {
                annotations[key] = value;
            }
        }
        foreach (var (key, value) in target.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!AnnotationsToSkip.Contains(key))
            {
                annotations[key] = value;
            }
        }
        var patch = KubernetesJson.Serialize(new object[]
        {
            new Dictionary<string, object> { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = template },
            new Dictionary<string, object> { ["op"] = "replace", ["path"] = "/metadata/annotations", ["value"] = annotations },
        });
        return new RollbackPlan(revision, target, patch, null);
    }

    /// <summary>deploymentRevision: the set holding the revision asked for, or the second-highest.</summary>
    private static V1ReplicaSet Find(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> owned, long toRevision)
    {
        V1ReplicaSet? latest = null;
        V1ReplicaSet? previous = null;
        long latestRevision = -1;
        long previousRevision = -1;
        foreach (var rs in owned)
        {
            var v = DeploymentHistory.Revision(rs.Metadata);
            if (toRevision == 0)
            {
                if (latestRevision < v)
                {
                    (previous, previousRevision) = (latest, latestRevision);
                    (latest, latestRevision) = (rs, v);
                }
                else if (previousRevision < v)
                {
                    (previous, previousRevision) = (rs, v);
                }
            }
            else if (toRevision == v)
            {
                return rs;
            }
        }
        if (toRevision > 0)
        {
            throw new ClusterException(ClusterErrors.AppRevisionNotFound, $"unable to find specified revision {toRevision} in history", toRevision);
        }
        return previous ?? throw new ClusterException(ClusterErrors.AppHistoryNotFound, $"no rollout history found for deployment \"{deployment.Metadata.Name}\"", deployment.Metadata.Name);
    }
}
