using System.Globalization;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Common;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ClusterManagement.Engine.NodeHosts;

/// <summary>Waits (watching, not polling) for a Node's Ready condition to reach a state.</summary>
internal static class NodeReadinessWait
{
    public static Task<ClusterNode?> UntilAsync(
        ClusterConnection connection, string nodeName, Func<NodeReadiness?, bool> isDone, TimeSpan timeout, IOperationLog log, CancellationToken cancellationToken) =>
        UntilNodeAsync(connection, nodeName, node => isDone(node?.Readiness), timeout, log, cancellationToken);

    /// <summary>
    /// Waits until the kubelet that a unit change left running has reported the node Ready: a status heartbeat
    /// no older than the unit's last state change (<paramref name="unitChanged"/>). Both are stamped by the
    /// node's own clock, so clock skew does not matter. A Ready status alone proves nothing after a restart: the old
    /// kubelet's status stays Ready until the API server's grace period passes, also when the new one never starts.
    /// </summary>
    public static Task<ClusterNode?> UntilKubeletReadyAsync(
        ClusterConnection connection, string nodeName, DateTime? unitChanged, TimeSpan timeout, IOperationLog log, CancellationToken cancellationToken) =>
        UntilNodeAsync(connection, nodeName,
            node => node?.Readiness == NodeReadiness.Ready
                && (unitChanged is null || node.Conditions.FirstOrDefault(c => c.Type == "Ready")?.LastHeartbeatTime >= unitChanged),
            timeout, log, cancellationToken,
            unitChanged is null ? null : $"report Ready from the kubelet running since {unitChanged.Value.ToString("u", CultureInfo.InvariantCulture)}");

    /// <summary>Waits until the Node (null while it is not registered) is what <paramref name="isDone"/> wants, its conditions included.</summary>
    /// <param name="goal">What the timeout's message says the node did not do.</param>
    public static async Task<ClusterNode?> UntilNodeAsync(
        ClusterConnection connection, string nodeName, Func<ClusterNode?, bool> isDone, TimeSpan timeout, IOperationLog log, CancellationToken cancellationToken, string? goal = null)
    {
        var resource = new ResourceRef("Node", nodeName);
        var result = await ObjectWatch.UntilAsync<V1Node>(
            async ct =>
            {
                try
                {
                    var node = await connection.Client.CoreV1.ReadNodeAsync(nodeName, cancellationToken: ct).ConfigureAwait(false);
                    return (node, node.Metadata.ResourceVersion);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    var list = await connection.Client.CoreV1.ListNodeAsync(limit: 1, cancellationToken: ct).ConfigureAwait(false);
                    return (null, list.Metadata.ResourceVersion);
                }
            },
            (rv, onError, ct) => connection.Client.CoreV1.WatchListNodeAsync(fieldSelector: $"metadata.name={nodeName}", resourceVersion: rv, onError: onError, cancellationToken: ct),
            node => isDone(node is null ? null : NodeMapper.ToClusterNode(node)),
            resource,
            timeout,
            log,
            cancellationToken).ConfigureAwait(false);
        if (result.End == WatchEnd.Cancelled)
        {
            // Returning the last state seen would let the caller carry on as if the wait had ended.
            throw new OperationCanceledException(cancellationToken);
        }

        if (result.End == WatchEnd.TimedOut)
        {
            var state = result.Last is null ? "not registered" : NodeMapper.ReadinessOf(result.Last.Status?.Conditions).ToString();
            var timedOut = new ClusterException(ClusterErrors.NodeReadinessTimeout, $"Node {nodeName} did not {goal ?? "reach the expected state"} within {timeout} (it is {state}).", nodeName);
            throw result.Last is null ? timedOut : Diagnoses.Attach(timedOut, await new NodeDiagnoser(connection, log).NotReadyAsync(nodeName, cancellationToken).ConfigureAwait(false));
        }

        return result.Last is null ? null : NodeMapper.ToClusterNode(result.Last);
    }
}
