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
/// pipeline (collected per context, then worked on in EndProcessing: each context's nodes on that cluster's
/// hosts, -ThrottleLimit nodes at a time, several contexts at once for the cmdlets whose Reach allows it).
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

    /// <summary>
    /// The nodes asked for, per context they were asked in: a node piped from one cluster goes to that cluster's
    /// hosts, whose access data (kube-system/clustermanagement-node-access) is that cluster's own.
    /// </summary>
    private readonly Dictionary<string, List<string>> requestedNodes = new(StringComparer.Ordinal);

    /// <summary>The contexts in the order they were first named.</summary>
    private readonly List<string> requestedContexts = [];

    /// <summary>The key of the nodes of a cmdlet that works on one context: that context is known only once connected.</summary>
    private const string TheOneContext = "";

    private NodeAccessOptions? access;

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

    private protected override ContextInputParameters? NewContextParameters() => Reach switch
    {
        ContextReach.Reads => new NodeHostContextParameters(),
        ContextReach.Changes => new NodeHostContextChangeParameters(),
        _ => null,
    };

    /// <summary>
    /// Records this record's nodes under the contexts it names. <paramref name="names"/> is read once those are
    /// known, because a piped context's own Name is no node and is forgotten first. Returns those contexts, for
    /// a cmdlet that keeps more of a record than its nodes (see <see cref="AskedIn"/>).
    /// </summary>
    private protected IReadOnlyList<string> AddNodes(Func<IEnumerable<string>?> names)
    {
        var contexts = Reach == ContextReach.One ? [TheOneContext] : ContextsOfRecord();
        var given = names()?.ToList() ?? [];
        foreach (var context in contexts)
        {
            if (!requestedNodes.TryGetValue(context, out var nodes))
            {
                requestedNodes[context] = nodes = [];
                requestedContexts.Add(context);
            }

            nodes.AddRange(given.Where(name => !nodes.Contains(name, StringComparer.Ordinal)));
        }

        return contexts;
    }

    /// <summary>Whether what a record asked for in <paramref name="context"/> (from <see cref="AddNodes"/>) belongs to the work on <paramref name="connection"/>.</summary>
    private protected static bool AskedIn(string context, ClusterConnection connection) =>
        context == TheOneContext || context == connection.ContextName;

    /// <summary>The nodes asked for in the context of <paramref name="connection"/>; none when all of them are meant.</summary>
    private protected IReadOnlyList<string> RequestedNodesIn(ClusterConnection connection) =>
        requestedNodes.GetValueOrDefault(connection.ContextName) ?? requestedNodes.GetValueOrDefault(TheOneContext) ?? [];

    /// <summary>
    /// Runs <paramref name="work"/> once per context nodes were asked in, at the end: several contexts at once,
    /// each failing alone, as every cluster cmdlet fans out (<see cref="ClusterCmdlet.RunOn"/>).
    /// </summary>
    private protected void RunOnRequestedContexts(Func<ClusterConnection, PipelineWriter, CancellationToken, Task> work) =>
        RunOn(requestedContexts is [] or [TheOneContext] ? null : requestedContexts, work);

    /// <summary>
    /// Checks what does not depend on a cluster (names, ranges, requests) on the pipeline thread, before any
    /// cluster is asked: a bad value is one error, not one per context.
    /// </summary>
    private protected T CheckedUpFront<T>(Func<T> check)
    {
        try
        {
            return check();
        }
        catch (ClusterException e)
        {
            ThrowErrorRecord(ErrorRecords.From(e));
            throw;
        }
    }

    private protected NodeConnector Connector(ClusterConnection connection, IOperationLog log) => new(connection, access ?? throw new InvalidOperationException("BeginProcessing did not run."), log);

    /// <summary>Reads the requested Nodes (all of them when none were named); a missing one is an error record, the others go on.</summary>
    private protected async Task<IReadOnlyList<ClusterNode>> ResolveNodesAsync(ClusterConnection connection, PipelineWriter writer, bool allWhenNone, CancellationToken cancellationToken)
    {
        var service = new NodeService(connection);
        var nodes = new List<ClusterNode>();
        var requested = RequestedNodesIn(connection);
        if (requested.Count == 0 && allWhenNone)
        {
            await foreach (var node in service.ListAsync(null, cancellationToken).ConfigureAwait(false))
            {
                nodes.Add(node);
            }

            return nodes;
        }

        foreach (var name in requested)
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
