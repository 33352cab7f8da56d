using System.Management.Automation;
using System.Net;
using ClusterManagement.Diagnostics;
using ClusterManagement.Commands.Infrastructure;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.Commands.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Engine.NodeHosts;

namespace ClusterManagement.Commands.NodeHosts;

/// <summary>
/// Base of the cmdlets that work on node hosts over SSH: the access parameters, node input from the
/// pipeline (collected, then worked on concurrently in EndProcessing with -ThrottleLimit).
/// </summary>
public abstract class NodeHostCmdlet : ClusterCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SshUser { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SshKeyPath { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    [Parameter]
    public SwitchParameter AcceptNewHostKey { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    private readonly List<string> requestedNodes = [];
    private NodeAccessOptions? access;

    protected IReadOnlyList<string> RequestedNodes => requestedNodes;

    /// <summary>Per-connection timeout for SSH; each cmdlet has its own overall -Timeout.</summary>
    protected virtual TimeSpan SshConnectTimeout => TimeSpan.FromSeconds(10);

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        var keyPath = SshKeyPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(SshKeyPath);
        var knownHosts = KnownHostsPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KnownHostsPath);
        var secret = Credential?.GetNetworkCredential().Password;
        var options = NodeAccessOptions.FromEnvironment(
            SshUser ?? (Credential?.UserName is { Length: > 0 } name ? name : null),
            keyPath,
            password: keyPath is null ? secret : null,
            knownHosts,
            AcceptNewHostKey.IsPresent,
            SshConnectTimeout);
        access = keyPath is not null && secret is not null ? WithPassphrase(options, secret) : options;
    }

    protected void AddNodes(IEnumerable<string>? names)
    {
        foreach (var name in names ?? [])
        {
            if (!requestedNodes.Contains(name, StringComparer.Ordinal))
            {
                requestedNodes.Add(name);
            }
        }
    }

    private protected NodeConnector Connector(IOperationLog log) => new(Connect(), access ?? throw new InvalidOperationException("BeginProcessing did not run."), log);

    /// <summary>Reads the requested Nodes (all of them when none were named); a missing one is an error record, the others go on.</summary>
    private protected async Task<IReadOnlyList<ClusterNode>> ResolveNodesAsync(ClusterConnection connection, PipelineWriter writer, bool allWhenNone, CancellationToken cancellationToken)
    {
        var service = new NodeService(connection);
        var nodes = new List<ClusterNode>();
        if (requestedNodes.Count == 0 && allWhenNone)
        {
            await foreach (var node in service.ListAsync(null, cancellationToken).ConfigureAwait(false))
            {
                nodes.Add(node);
            }

            return nodes;
        }

        foreach (var name in requestedNodes)
        {
            try
            {
                nodes.Add(await service.GetAsync(name, cancellationToken).ConfigureAwait(false));
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
                writer.Error(ErrorRecords.NotFound("Node", name));
            }
        }

        return nodes;
    }

    /// <summary>Runs <paramref name="work"/> for every item, -ThrottleLimit at a time; one item's ClusterException becomes an error record, the others go on.</summary>
    private protected Task ForEachAsync<T>(IEnumerable<T> items, PipelineWriter writer, Func<T, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = ThrottleLimit, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                try
                {
                    await work(item, ct).ConfigureAwait(false);
                }
                catch (ClusterException e)
                {
                    writer.Error(ErrorRecords.From(e));
                }
            });

    private static NodeAccessOptions WithPassphrase(NodeAccessOptions options, string passphrase) => new()
    {
        User = options.User,
        KeyPath = options.KeyPath,
        KeyPassphrase = passphrase,
        KnownHostsPath = options.KnownHostsPath,
        AcceptNewHostKey = options.AcceptNewHostKey,
        ConnectTimeout = options.ConnectTimeout,
    };
}
