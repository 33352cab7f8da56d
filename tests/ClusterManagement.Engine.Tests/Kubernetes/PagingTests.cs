using ClusterManagement.Connection;
using ClusterManagement.Emulator;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Engine.Connection;
using ClusterManagement.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.Tests.Kubernetes;

/// <summary>Paged lists across a compaction: the apiserver's 410 for the continue token carries a token for the rest.</summary>
public sealed class PagingTests
{
    [Fact]
    public async Task AListThatOutlivesACompactionContinuesFromTheServersFreshTokenWithoutRepeats()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = Paging.PageSize + 100, SeedPods = false });
        var connection = ClusterConnection.Open(new ConnectionOptions { KubeConfig = emulator.KubeconfigPath, Context = "sandbox" });
        var names = new List<string>();

        await foreach (var node in Paging.ListAll<V1NodeList, V1Node>(
            (token, limit, ct) => connection.Client.CoreV1.ListNodeAsync(continueParameter: token, limit: limit, cancellationToken: ct),
            list => list.Items,
            list => list.Metadata?.ContinueProperty,
            new ResourceRef("Node", null),
            CancellationToken.None))
        {
            if (names.Count == 0)
            {
                // Between the first page and the second: a node goes and etcd compacts.
                emulator.Store.Delete(CoreKinds.Nodes, null, "worker-99");
                emulator.Store.Compact();
            }
            names.Add(node.Metadata.Name);
        }

        Assert.Contains(emulator.Requests.Since(0), r => r.Status == 410 && r.Path.Contains("continue=", StringComparison.Ordinal));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(Paging.PageSize + 100, names.Count);
        Assert.DoesNotContain("worker-99", names);
    }
}
