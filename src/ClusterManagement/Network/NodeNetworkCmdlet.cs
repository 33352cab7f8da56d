using System.Management.Automation;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;
using ClusterManagement.Commands.NodeHosts;
using ClusterManagement.Network;
using ClusterManagement.Engine.Network;

namespace ClusterManagement.Commands.Network;

/// <summary>Base of the engine-network and route cmdlets: one -Timeout per node, and results written in the order the nodes were asked for.</summary>
public abstract class NodeNetworkCmdlet : NodeHostCmdlet
{
    [Parameter]
    [TimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="work"/> on the items concurrently (-ThrottleLimit); the results come back in the
    /// items' order, whatever order the nodes answered in. An item whose work failed (an error record)
    /// or declined (null) has no result.
    /// </summary>
    private protected async Task<IReadOnlyList<TResult>> RunAllAsync<TItem, TResult>(
        IReadOnlyList<TItem> items, PipelineWriter writer, Func<TItem, CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        var results = new (bool Done, TResult Value)[items.Count];
        await ForEachAsync(Enumerable.Range(0, items.Count), writer, async (i, token) => results[i] = (true, await work(items[i], token).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        return results.Where(r => r.Done && r.Value is not null).Select(r => r.Value).ToList();
    }
}
