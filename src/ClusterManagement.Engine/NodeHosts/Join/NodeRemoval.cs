using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;
using k8s;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>Takes a node out of the cluster: kubeadm reset on its host when reachable, then the Node and its access data are deleted.</summary>
internal sealed class NodeRemoval(ClusterConnection connection, NodeConnector connector, IOperationLog log)
{
    /// <summary>Refuses to remove the last control-plane node: the cluster would have none left.</summary>
    public async Task CheckNotLastControlPlaneAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        if (!node.Roles.Contains("control-plane") && !node.Roles.Contains("master"))
        {
            return;
        }

        var controlPlanes = 0;
        await foreach (var other in new NodeService(connection).ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (other.Roles.Contains("control-plane") || other.Roles.Contains("master"))
            {
                controlPlanes++;
            }
        }

        if (controlPlanes <= 1)
        {
            throw new ClusterException(ClusterErrors.ControlPlaneRemovalBlocked, $"{node.Name} is the cluster's last control-plane node; removing it would leave the cluster without one.", node.Name);
        }
    }

    /// <summary>
    /// Opens the host's verified connection before anything changes, so a host whose key changed stops
    /// the removal before the drain, and so does a node without host access data (nothing to reset). An
    /// unreachable host is reported and gives null: its Node is still removed, without the reset.
    /// </summary>
    public async Task<NodeShell?> ConnectHostAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        try
        {
            return await connector.ConnectAsync(node, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.Timeout || e.Error == ClusterErrors.SshCredentialMissing)
        {
            log.Warning($"{node.Name}: the host will not be reset ({e.Message}); its kubelet may register the Node again until it is reset.");
            return null;
        }
    }

    public static Task ResetHostAsync(NodeShell shell, TimeSpan timeout, CancellationToken cancellationToken) =>
        shell.SudoCheckedAsync("if command -v kubeadm >/dev/null; then kubeadm reset -f; else systemctl stop kubelet 2>/dev/null || true; fi", timeout, "kubeadm reset", cancellationToken);

    /// <summary>Deletes the Node, then its entry in the access object, so a later host under the same name is not trusted with the old key.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await KubeApi.Call(ct => connection.Client.CoreV1.DeleteNodeAsync(name, cancellationToken: ct), new ResourceRef("Node", name), cancellationToken, idempotent: false).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            log.Verbose($"{name} was already deleted.");
        }

        await new NodeAccessRecords(connection).RemoveAsync(name, cancellationToken).ConfigureAwait(false);
    }
}
