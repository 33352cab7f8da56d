using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Nodes;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle,
/// tryUpdateNodeHealth): a node is alive while either its posted status or its
/// kube-node-lease Lease moves; a node whose Lease and status both stay still longer than the
/// grace period (node-monitor-grace-period) turns Unknown and gets the unreachable taints. A 1.32
/// kubelet posts status only on change or every 5 minutes, so its Lease is what keeps it Ready.
/// The controller never turns a node Ready itself: the kubelet does that by posting its status,
/// after which the controller lifts the unreachable taints (markNodeAsReachable).
/// Nodes that never posted a Ready condition are left alone, as a just-registered node would be.
/// </summary>
public sealed class NodeLifecycleController : IEmulatorController
{
    private enum Change
    {
        None,
        MarkUnknown,
        MarkReachable,
    }

    public string Name => "node-lifecycle";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(context.Settings.NodeMonitorPeriod, context.Time, cancellationToken);
            var now = context.Time.GetUtcNow();
            foreach (var stored in context.Store.List(CoreKinds.Nodes).Items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lease = NodeLeaseController.RenewTime(context, stored.Name);
                if (Needed(stored.ToJson(), lease, context.Settings, now) == Change.None)
                {
                    continue;
                }
                try
                {
                    // Decided again under the store lock: a status post may have landed since the list.
                    context.Store.Mutate(CoreKinds.Nodes, null, stored.Name, node => Apply(node, lease, context.Settings, now));
                }
                catch (ApiException e) when (e.Code == 404)
                {
                    // Deleted since the list.
                }
            }
        }
    }

    private static bool Apply(JsonObject node, DateTimeOffset? lease, EmulatorSettings settings, DateTimeOffset now)
    {
        switch (Needed(node, lease, settings, now))
        {
            case Change.MarkUnknown:
                NodeConditions.MarkUnknown(node, now);
                return true;
            case Change.MarkReachable:
                NodeConditions.LiftUnreachableTaints(node);
                return true;
            default:
                return false;
        }
    }

    private static Change Needed(JsonObject node, DateTimeOffset? lease, EmulatorSettings settings, DateTimeOffset now)
    {
        if (NodeConditions.LastHeartbeat(node) is not { } lastHeartbeat)
        {
            return Change.None;
        }
        var lastProbe = lease is { } renewed && renewed > lastHeartbeat ? renewed : lastHeartbeat;
        if (now - lastProbe > settings.NodeGracePeriod)
        {
            return NodeConditions.IsMarkedUnknown(node) ? Change.None : Change.MarkUnknown;
        }
        return NodeConditions.IsReady(node) && NodeConditions.HasUnreachableTaint(node) ? Change.MarkReachable : Change.None;
    }
}
