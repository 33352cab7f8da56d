using ClusterManagement.Common;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Apps;
using ClusterManagement.Engine.Events;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Events;
using k8s.Models;

namespace ClusterManagement.Engine.Diagnostics;

/// <summary>
/// Reads, when a rollout wait failed or ran out, what explains it (<see cref="RolloutDiagnosis"/>): the
/// Deployment, its new ReplicaSet, that set's pods and the namespace's events about them.
/// </summary>
internal sealed class RolloutDiagnoser(ClusterConnection connection, IOperationLog log)
{
    /// <summary>
    /// Added to what is left of the operation's own budget: a wait that ran out has none left, and the
    /// reads (four lists) must still have a moment, but never many.
    /// </summary>
    public static readonly TimeSpan Allowance = TimeSpan.FromSeconds(10);

    /// <summary>Never throws for a failed read: the rollout's own failure must reach the caller as it was.</summary>
    public async Task<Diagnosis> DiagnoseAsync(string ns, string name, TimeSpan remaining, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter((remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero) + Allowance);
        try
        {
            var (deployment, owned) = await new AppService(connection).ReadWithReplicaSetsAsync(ns, name, bounded.Token).ConfigureAwait(false);
            var newSet = DeploymentHistory.Current(deployment, owned);
            IReadOnlyList<V1Pod> pods = newSet is null
                ? []
                : await OwnedPods.ListAsync(connection, ns, LabelSelectorText.Format(newSet.Spec.Selector), [newSet.Metadata.Uid], bounded.Token).ConfigureAwait(false);
            var names = pods.Select(p => ("Pod", p.Metadata.Name)).Append(("Deployment", name));
            if (newSet is not null)
            {
                names = names.Append(("ReplicaSet", newSet.Metadata.Name));
            }
            var subjects = names.ToHashSet();
            var events = await new EventService(connection, log)
                .ListAsync(ns, e => subjects.Contains((e.InvolvedObject.Kind, e.InvolvedObject.Name)), bounded.Token).ConfigureAwait(false);
            return RolloutDiagnosis.Of(deployment, newSet, pods, events);
        }
        catch (Exception e) when (e is ClusterException or OperationCanceledException)
        {
            var why = e is OperationCanceledException ? "the reads did not finish in time" : e.Message;
            log.Verbose($"Could not read why the rollout of app {ns}/{name} did not complete: {why}");
            return RolloutDiagnosis.Unreadable(why);
        }
    }
}
