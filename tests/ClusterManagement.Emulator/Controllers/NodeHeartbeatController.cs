using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Kinds;

namespace ClusterManagement.Emulator.Controllers;

/// <summary>
/// Plays every node's kubelet status loop as a 1.32 kubelet runs it (pkg/kubelet/kubelet_node_status.go,
/// tryUpdateNodeStatus): every interval (nodeStatusUpdateFrequency) it works out its status and posts
/// it only when it differs from the stored one (the lifecycle controller marked the node Unknown) or
/// when nodeStatusReportFrequency has passed since the last post; only a post moves
/// lastHeartbeatTime. Liveness in between is the Lease (<see cref="Nodes.NodeLeaseController"/>).
/// Nodes the tests stopped and nodes whose status comes from a real client are left alone.
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
                    context.Store.Mutate(CoreKinds.Nodes, null, node.Name, n => PostIfDue(n, context.Settings, now));
                }
                catch (ApiException e) when (e.Code == 404)
                {
                    // Deleted since the list; nothing to post for.
                }
            }
        }
    }

    private static bool PostIfDue(JsonObject node, EmulatorSettings settings, DateTimeOffset now)
    {
        if (ExternalHeartbeatAdmission.IsExternal(node) || NodeConditions.LastHeartbeat(node) is not { } lastPosted)
        {
            return false;
        }
        if (NodeConditions.IsMarkedUnknown(node))
        {
            NodeConditions.Report(node, now);
            return true;
        }
        if (now - lastPosted < settings.NodeStatusReportFrequency)
        {
            return false;
        }
        NodeConditions.Heartbeat(node, now);
        return true;
    }
}
