using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>
/// kubeadm join's kubelet-start phase (cmd/kubeadm/app/cmd/phases/join/kubelet.go) refuses a Ready Node
/// of the joining name, which is another live host, after it has already written the CA and the
/// bootstrap kubeconfig; a NotReady or Unknown one (a host that was reset or replaced) is taken over by
/// the new kubelet. The module decides the same from the API before it touches the host.
/// </summary>
internal static class ExistingNode
{
    public static async Task RequireJoinableAsync(ClusterConnection connection, NewNodeRequest request, IOperationLog log, CancellationToken cancellationToken)
    {
        ClusterNode node;
        try
        {
            node = await new NodeService(connection).GetAsync(request.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            return;
        }

        if (node.Readiness != NodeReadiness.Ready)
        {
            log.Verbose($"A {node.Readiness} Node named {request.Name} exists; as with kubeadm join, this host's kubelet takes it over.");
            return;
        }
        if (await IsThisHostAsync(connection, node, request, cancellationToken).ConfigureAwait(false))
        {
            // Run again on the host that is this node: the join step sees it has joined and goes on.
            return;
        }
        throw new ClusterException(ClusterErrors.NodeAlreadyExists,
            $"A Ready Node named {request.Name} ({string.Join(", ", node.Addresses)}) already exists and is not the host {request.Ssh.Host}:{request.Ssh.Port}; kubeadm join refuses to join over it "
            + $"(\"a Node with name \\\"{request.Name}\\\" and status \\\"Ready\\\" already exists in the cluster\"). Remove that node first (Remove-ClusterNode) or choose another -Name. Nothing was changed.",
            request.Name);
    }

    private static async Task<bool> IsThisHostAsync(ClusterConnection connection, ClusterNode node, NewNodeRequest request, CancellationToken cancellationToken)
    {
        if (node.Addresses.Any(a => string.Equals(a.Address, request.Ssh.Host, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }
        var records = await new NodeAccessRecords(connection).ReadAsync(cancellationToken).ConfigureAwait(false);
        return records.TryGetValue(request.Name, out var json)
            && NodeAccessRecord.Parse(request.Name, json) is { } record
            && string.Equals(record.Host, request.Ssh.Host, StringComparison.OrdinalIgnoreCase) && record.Port == request.Ssh.Port;
    }
}
