using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// kube-controller-manager's node lifecycle controller: a node silent for longer than the grace
/// period turns Unknown and gets the unreachable taints; once heartbeats resume it is Ready again.
/// Nodes that never posted a Ready condition are left alone, as a just-registered node would be.
/// </summary>
public sealed class NodeLifecycleController : IEmulatorController
{
    private enum Change
    {
        None,
        MarkUnknown,
        MarkHealthy,
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
                if (Needed(stored.ToJson(), context.Settings, now) == Change.None)
                {
                    continue;
                }
                try
                {
                    // Decided again under the store lock: a heartbeat may have landed since the list.
                    context.Store.Mutate(CoreKinds.Nodes, null, stored.Name, node => Apply(node, context.Settings, now));
                }
                catch (ApiException e) when (e.Code == 404)
                {
                    // Deleted since the list.
                }
            }
        }
    }

    private static bool Apply(JsonObject node, EmulatorSettings settings, DateTimeOffset now)
    {
        switch (Needed(node, settings, now))
        {
            case Change.MarkUnknown:
                NodeConditions.MarkUnknown(node, now);
                return true;
            case Change.MarkHealthy:
                NodeConditions.MarkHealthy(node, now);
                return true;
            default:
                return false;
        }
    }

    private static Change Needed(JsonObject node, EmulatorSettings settings, DateTimeOffset now)
    {
        if (NodeConditions.LastHeartbeat(node) is not { } lastHeartbeat)
        {
            return Change.None;
        }
        var silent = now - lastHeartbeat > settings.NodeGracePeriod;
        return (silent, NodeConditions.IsMarkedUnknown(node)) switch
        {
            (true, false) => Change.MarkUnknown,
            (false, true) => Change.MarkHealthy,
            _ => Change.None,
        };
    }
}
