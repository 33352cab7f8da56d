using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// Plays every node's kubelet: refreshes the conditions' lastHeartbeatTime each heartbeat interval,
/// except for nodes the tests stopped and nodes whose status comes from a real client.
/// </summary>
public sealed class NodeHeartbeatController : IEmulatorController
{
    public string Name => "node-heartbeat";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(context.Settings.HeartbeatInterval, context.Time, cancellationToken);
            var now = context.Time.GetUtcNow();
            foreach (var node in context.Store.List(CoreKinds.Nodes).Items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (context.Heartbeats.IsStopped(node.Name))
                {
                    continue;
                }
                try
                {
                    context.Store.Mutate(CoreKinds.Nodes, null, node.Name, n =>
                    {
                        if (ExternalHeartbeatAdmission.IsExternal(n))
                        {
                            return false;
                        }
                        NodeConditions.Heartbeat(n, now);
                        return true;
                    });
                }
                catch (ApiException e) when (e.Code == 404)
                {
                    // Deleted since the list; nothing to beat for.
                }
            }
        }
    }
}
