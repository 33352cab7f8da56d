using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;
using ClusterManagement.Emulator.Watch;

namespace ClusterManagement.Emulator.Quota;

/// <summary>
/// kube-controller-manager's resourcequota controller (pkg/controller/resourcequota): a new or changed
/// quota gets status.hard from its spec and status.used counted from the namespace's objects; afterwards
/// admission charges what is created, and the controller recounts when usage can only have fallen (the
/// replenishment controller: an object deleted, a pod finished or terminating), so a count taken while a
/// charged object is still on its way to the store cannot undo the charge.
/// </summary>
public sealed class ResourceQuotaController(ResourceKind quotas) : IEmulatorController
{
    public string Name => "resourcequota";

    public Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        var kinds = context.Registry.Kinds.Where(k => k.Namespaced && k != CoreKinds.Events).ToList();
        var queue = new WorkQueue<string>(context);
        return queue.RunAsync(kinds, e =>
        {
            if (e.Object.Namespace is { } ns && context.Store.List(quotas, ns).Items.Count > 0 && MayLowerOrReset(e))
            {
                queue.Add(ns);
            }
        }, ns =>
        {
            Recount(context, ns);
            return null;
        }, null, cancellationToken);

        bool MayLowerOrReset(WatchEvent e)
        {
            if (e.Object.Kind == quotas)
            {
                // A quota's own status write is no reason to count again; a new one or a changed spec is.
                return e.Type != WatchEventType.Deleted
                    && (e.Previous is null || !JsonNode.DeepEquals(e.Previous.ToJson().At("spec"), e.Object.ToJson().At("spec")));
            }
            if (e.Type == WatchEventType.Deleted)
            {
                return true;
            }
            if (e.Object.Kind != CoreKinds.Pods || e.Previous is null)
            {
                return false;
            }
            var before = e.Previous.ToJson();
            var after = e.Object.ToJson();
            return after.StringAt("status", "phase") != before.StringAt("status", "phase")
                || (after.At("metadata", "deletionTimestamp") is not null && before.At("metadata", "deletionTimestamp") is null);
        }
    }

    /// <summary>syncResourceQuota: hard from the spec, used counted for exactly the resources the quota names.</summary>
    private void Recount(EmulatorContext context, string ns)
    {
        var now = context.Time.GetUtcNow();
        lock (ResourceQuotaAdmission.Gate)
        {
            foreach (var quota in context.Store.List(quotas, ns).Items.Select(q => q.ToJson()))
            {
                var hard = ResourceQuotaAdmission.Amounts(quota.At("spec", "hard"));
                var used = hard.Keys.ToDictionary(r => r, _ => new QuotaAmount(0, false), StringComparer.Ordinal);
                foreach (var kind in context.Registry.Kinds.Where(k => k.Namespaced && hard.Keys.Any(r => QuotaUsage.Measures(k, r))))
                {
                    foreach (var item in context.Store.List(kind, ns).Items.Select(i => i.ToJson()).Where(i => QuotaUsage.InScope(quota, kind, i)))
                    {
                        foreach (var (name, amount) in QuotaUsage.Of(kind, item, now))
                        {
                            if (used.TryGetValue(name, out var sum))
                            {
                                used[name] = sum.Plus(amount);
                            }
                        }
                    }
                }
                ResourceQuotaAdmission.WriteStatus(context.Store, quotas, quota, hard, used);
            }
        }
    }
}
