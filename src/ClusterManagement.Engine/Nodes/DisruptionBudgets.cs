using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.Nodes;

/// <summary>
/// What would stop a node's drain before it starts: the pods kubectl's filters refuse, and the PodDisruptionBudgets
/// that allow no disruption now and select a pod the drain would evict (its eviction gets 429 until the budget allows one).
/// Read-only: the budgets are listed once for every node asked about.
/// </summary>
internal sealed class DisruptionBudgets(ClusterConnection connection, IOperationLog log)
{
    private readonly NodeMaintenance maintenance = new(connection, log);
    private List<V1PodDisruptionBudget>? budgets;

    public async Task<IReadOnlyList<string>> DrainBlockersAsync(string node, DrainOptions options, CancellationToken cancellationToken)
    {
        budgets ??= await ListAsync(cancellationToken).ConfigureAwait(false);
        var plan = await maintenance.PlanDrainAsync(node, options, cancellationToken).ConfigureAwait(false);
        var blockers = plan.Problems().Select(p => $"its drain is refused: {p}").ToList();
        foreach (var pod in plan.PodsToEvict)
        {
            foreach (var budget in budgets.Where(b => b.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && (b.Status?.DisruptionsAllowed ?? 0) == 0 && Selects(b.Spec?.Selector, pod.Metadata.Labels)))
            {
                blockers.Add($"PodDisruptionBudget {budget.Metadata.NamespaceProperty}/{budget.Metadata.Name} allows no disruption now and selects {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}, which the drain evicts");
            }
        }

        return blockers;
    }

    private async Task<List<V1PodDisruptionBudget>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new List<V1PodDisruptionBudget>();
        await foreach (var budget in Paging.ListAll<V1PodDisruptionBudgetList, V1PodDisruptionBudget>(
            (token, limit, ct) => connection.Client.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("PodDisruptionBudget", null),
            cancellationToken).ConfigureAwait(false))
        {
            all.Add(budget);
        }

        return all;
    }

    /// <summary>
    /// metav1.LabelSelectorAsSelector's matching: every matchLabels pair and every expression must hold. A PodDisruptionBudget
    /// whose selector is null selects no pod, an empty one (policy/v1) every pod of its namespace.
    /// </summary>
    internal static bool Selects(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        return (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
            && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
            {
                "In" => labels.TryGetValue(e.Key, out var v) && (e.Values ?? []).Contains(v),
                "NotIn" => !labels.TryGetValue(e.Key, out var v) || !(e.Values ?? []).Contains(v),
                "Exists" => labels.ContainsKey(e.Key),
                "DoesNotExist" => !labels.ContainsKey(e.Key),
                _ => false,
            });
    }
}
