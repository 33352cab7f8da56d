using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// The budget half of the Eviction subresource (pkg/registry/core/pod/storage/eviction.go): finished,
/// pending and terminating pods go without a check; otherwise the one budget covering the pod must
/// allow a disruption, which is spent (disruptionsAllowed - 1, the pod in disruptedPods) under the
/// store lock so concurrent evictions cannot overspend it. Refusals are the server's 429s, word for word.
/// </summary>
public sealed class DisruptionBudgetAdmission(TimeProvider time) : IAdmissionPlugin
{
    private const string Refusal = "Cannot evict pod as it would violate the pod's disruption budget.";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request is not { Kind: var kind, Subresource: "eviction", Operation: AdmissionOperation.Create, OldObject: { } pod } || kind != CoreKinds.Pods)
        {
            return ValueTask.CompletedTask;
        }
        if (request.Object.StringAt("metadata", "name") is { } named && named != request.Name)
        {
            throw Status.BadRequest("name in URL does not match name in Eviction object");
        }
        if (CanIgnoreBudgets(pod))
        {
            return ValueTask.CompletedTask;
        }
        var budgets = request.Store.List(MaintenanceKinds.PodDisruptionBudgets, request.Namespace).Items
            .Select(b => b.ToJson())
            .Where(b => DisruptionBudgets.Selects(b, pod))
            .ToList();
        if (budgets.Count > 1)
        {
            throw new ApiException(500, "", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        if (budgets.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var budget = budgets[0];
        var desired = budget.LongAt("status", "desiredHealthy") ?? 0;
        // An unready pod does not count towards healthy, so evicting it spends nothing while the budget holds.
        if (!DisruptionBudgets.IsReady(pod) && (budget.LongAt("status", "currentHealthy") ?? 0) >= desired && desired > 0)
        {
            return ValueTask.CompletedTask;
        }
        request.Store.Mutate(MaintenanceKinds.PodDisruptionBudgets, request.Namespace, budget.Name(), current => Spend(current, request.Name));
        return ValueTask.CompletedTask;
    }

    private static bool CanIgnoreBudgets(JsonObject pod) =>
        pod.StringAt("status", "phase") is "Succeeded" or "Failed" or "Pending" || DisruptionBudgets.IsTerminating(pod);

    /// <summary>checkAndDecrement.</summary>
    private bool Spend(JsonObject budget, string podName)
    {
        var name = budget.Name();
        if ((budget.LongAt("status", "observedGeneration") ?? 0) < (budget.LongAt("metadata", "generation") ?? 1))
        {
            throw Status.TooManyRequests(Refusal, Causes($"The disruption budget {name} is still being processed by the server.", retryAfterSeconds: 10));
        }
        var allowed = budget.LongAt("status", "disruptionsAllowed") ?? 0;
        if (allowed < 0)
        {
            throw Forbidden(name, "pdb disruptions allowed is negative");
        }
        if (budget.At("status", "disruptedPods") is JsonObject { Count: > 2000 })
        {
            throw Forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0)
        {
            var needs = budget.LongAt("status", "desiredHealthy") ?? 0;
            var has = budget.LongAt("status", "currentHealthy") ?? 0;
            throw Status.TooManyRequests(Refusal, Causes($"The disruption budget {name} needs {needs} healthy pods and has {has} currently"));
        }
        var status = budget.ObjectAt("status");
        status["disruptionsAllowed"] = allowed - 1;
        status.ObjectAt("disruptedPods")[podName] = Timestamps.Format(time.GetUtcNow());
        return true;
    }

    private static JsonObject Causes(string message, int retryAfterSeconds = 0)
    {
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = message }),
        };
        if (retryAfterSeconds > 0)
        {
            details["retryAfterSeconds"] = retryAfterSeconds;
        }
        return details;
    }

    private static ApiException Forbidden(string budget, string reason) =>
        new(403, "Forbidden", $"poddisruptionbudgets.policy \"{budget}\" is forbidden: {reason}",
            new JsonObject { ["name"] = budget, ["group"] = "policy", ["kind"] = "poddisruptionbudgets" });
}
