using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Nodes;

/// <summary>
/// kube-controller-manager's disruption controller: keeps every budget's status (healthy, desired,
/// allowed disruptions, observedGeneration) in step with its pods, and forgets approved evictions
/// once their pod is terminating or gone. Passes run only when something in the store changed.
/// </summary>
public sealed class DisruptionController : IEmulatorController
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    public string Name => "disruption";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var seen = -1L;
        while (true)
        {
            await Task.Delay(Period, context.Time, cancellationToken);
            var version = context.Store.ResourceVersion;
            if (version == seen)
            {
                continue;
            }
            seen = version;
            foreach (var budget in context.Store.List(MaintenanceKinds.PodDisruptionBudgets).Items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pods = context.Store.List(CoreKinds.Pods, budget.Namespace).Items.Select(p => p.ToJson()).ToList();
                var owners = ControllerScales(pods, budget.Namespace, context);
                try
                {
                    context.Store.Mutate(MaintenanceKinds.PodDisruptionBudgets, budget.Namespace, budget.Name, current =>
                    {
                        var status = DisruptionBudgets.ComputeStatus(current, pods, pod => ReplicasOf(pod, owners), context.Time.GetUtcNow());
                        if (JsonNode.DeepEquals(status, current["status"]))
                        {
                            return false;
                        }
                        current["status"] = status;
                        return true;
                    });
                }
                catch (ApiException e) when (e.Code == 404)
                {
                    // Deleted since the list.
                }
            }
        }
    }

    /// <summary>
    /// spec.replicas of each pod controller the emulator serves and holds, by uid; read before the
    /// budget is locked, because a store mutation must not call back into the store.
    /// </summary>
    private static Dictionary<string, long> ControllerScales(IEnumerable<JsonObject> pods, string? ns, EmulatorContext context)
    {
        var scales = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var owner in pods.Select(ControllerOf).OfType<JsonObject>())
        {
            var uid = owner.StringAt("uid") ?? "";
            if (scales.ContainsKey(uid))
            {
                continue;
            }
            var kind = context.Registry.Kinds.FirstOrDefault(k => k.Kind == owner.StringAt("kind") && k.GroupVersion == owner.StringAt("apiVersion"));
            var stored = kind is null ? null : context.Store.Get(kind, ns, owner.StringAt("name") ?? "");
            if (stored?.StringAt("metadata", "uid") == uid && stored.LongAt("spec", "replicas") is { } replicas)
            {
                scales[uid] = replicas;
            }
        }
        return scales;
    }

    private static (string Uid, long Replicas)? ReplicasOf(JsonObject pod, Dictionary<string, long> scales) =>
        ControllerOf(pod)?.StringAt("uid") is { } uid && scales.TryGetValue(uid, out var replicas) ? (uid, replicas) : null;

    private static JsonObject? ControllerOf(JsonObject pod) =>
        pod.ObjectsAt("metadata", "ownerReferences").FirstOrDefault(o => o.BoolAt("controller"));
}
