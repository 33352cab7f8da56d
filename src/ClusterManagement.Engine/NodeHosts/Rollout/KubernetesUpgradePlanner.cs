using System.Text.Json.Nodes;
using k8s;
using ClusterManagement.Collections;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Join;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;
using ClusterManagement.Nodes;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>One node's part of a Kubernetes upgrade, decided before anything changes: its step and the package versions it installs.</summary>
internal sealed record KubernetesUpgradeItem(ClusterNode Node, NodeEndpoint Endpoint, NodeUpgradeStep Step, KubernetesVersion Target, IReadOnlyDictionary<string, string> Packages, NodeUpgradePlan Plan)
{
    public string To => string.Join(", ", Packages.Select(p => $"{p.Key} {p.Value}"));
}

/// <summary>The whole upgrade as planned: the target, the upgrades a request that skips minors needs, and every node in step order.</summary>
/// <param name="Unread">The nodes whose hosts could not be read (no access data, SSH, sudo), each with its error; they have no item.</param>
internal sealed record KubernetesUpgradePlan(KubernetesVersion ApiServer, KubernetesVersion From, KubernetesVersion Target, IReadOnlyList<KubernetesVersion> Sequence, IReadOnlyList<KubernetesUpgradeItem> Items, IReadOnlyList<(string Node, ClusterException Error)> Unread)
{
    public bool SkipsMinors => Sequence.Count > 1;

    /// <summary>Every node's blockers in one error, before anything changes; null when none has any.</summary>
    public ClusterException? BlockedError() => Items.Where(i => i.Plan.Blockers.Count > 0).ToList() is { Count: > 0 } blocked
        ? new ClusterException(ClusterErrors.KubernetesUpgradeBlocked,
            $"The upgrade to {Target} cannot start, and nothing was changed:\n" + string.Join("\n", blocked.Select(b => $"{b.Node.Name}: {string.Join("; ", b.Plan.Blockers)}.")) + "\nGet-ClusterUpgradePlan shows every node's state.",
            string.Join(", ", blocked.Select(b => b.Node.Name)))
        : null;
}

/// <summary>
/// What kubeadm upgrade plan works out, as objects: the API server's version, each node's kubelet (its Node) and kubeadm (on the host,
/// over SSH), the versions its package sources offer and its holds; the step each node takes and what blocks it (<see cref="UpgradeRules"/>,
/// NotReady nodes, a drain a PodDisruptionBudget or kubectl's filters would refuse). Changes nothing but the package lists when asked to refresh them.
/// </summary>
internal sealed class KubernetesUpgradePlanner(ClusterConnection connection, NodeConnector connector, IOperationLog log)
{
    /// <summary>The packages an upgrade moves, in the order it installs them; kubectl only where it is installed.</summary>
    public static readonly string[] Packages = ["kubeadm", "kubelet", "kubectl"];

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(2);

    private sealed record HostFacts(NodeEndpoint Endpoint, string? Kubeadm, IReadOnlyDictionary<string, IReadOnlyList<string>> Available, IReadOnlyDictionary<string, string> Installed, IReadOnlyList<string> Held);

    public async Task<KubernetesVersion> ApiServerVersionAsync(CancellationToken cancellationToken)
    {
        var info = await KubeApi.Call(ct => connection.Client.Version.GetCodeAsync(ct), new ResourceRef("Version", "version"), cancellationToken).ConfigureAwait(false);
        return KubernetesVersion.ParseReported(info.GitVersion)
            ?? throw new ClusterException(ClusterErrors.KubernetesVersionInvalid, $"The API server of context {connection.ContextName} reports version '{info.GitVersion}', which is not a Kubernetes release.", connection.ContextName);
    }

    /// <summary>
    /// Plans the upgrade of <paramref name="selected"/> to <paramref name="request"/>; <paramref name="all"/> are every Node of the cluster, so
    /// that the nodes left as they are keep their kubelets in skew. <paramref name="drain"/> null: the nodes are only cordoned, no drain to check.
    /// </summary>
    public async Task<KubernetesUpgradePlan> PlanAsync(IReadOnlyList<ClusterNode> all, IReadOnlyList<ClusterNode> selected, KubernetesVersion.VersionRequest request, DrainOptions? drain, bool refreshLists, int throttleLimit, CancellationToken cancellationToken)
    {
        var apiServer = await ApiServerVersionAsync(cancellationToken).ConfigureAwait(false);
        var facts = new HostFacts?[selected.Count];
        var errors = new ClusterException?[selected.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, selected.Count),
            new ParallelOptions { MaxDegreeOfParallelism = throttleLimit, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    facts[i] = await ReadHostAsync(selected[i], refreshLists, ct).ConfigureAwait(false);
                }
                catch (ClusterException e)
                {
                    errors[i] = e;
                }
            }).ConfigureAwait(false);
        var byName = selected.Select((n, i) => (Node: n, Host: facts[i])).Where(p => p.Host is not null).ToDictionary(p => p.Node.Name, p => (p.Node, Host: p.Host!), StringComparer.Ordinal);
        var unread = selected.Select((n, i) => (n.Name, Error: errors[i]!)).Where(p => p.Error is not null).ToList();
        var states = selected.Where(n => byName.ContainsKey(n.Name)).Select(State).ToList();
        if (states.Count == 0)
        {
            return new KubernetesUpgradePlan(apiServer, apiServer, apiServer, [apiServer], [], unread);
        }

        // The first control plane's sources decide the release: it runs the apply, the others install the same one.
        var source = UpgradeRules.Steps(states, apiServer, apiServer)[0].Node.Name;
        var offered = Offered(byName[source].Host.Available["kubeadm"]);
        var target = UpgradeRules.ResolveTarget(request, apiServer, offered, source);
        var from = states.Where(s => s.Kubelet is { } k && k < target).Select(s => s.Kubelet!.Value).Append(apiServer).Min();
        var sequence = target > from ? UpgradeRules.Sequence(from, target, offered, source) : [target];

        var steps = UpgradeRules.Steps(states, apiServer, target);
        var controlPlanesInRun = steps.Any(s => s.Step is NodeUpgradeStep.ControlPlaneApply or NodeUpgradeStep.ControlPlaneNode) || apiServer >= target;
        var others = all.Where(n => !byName.ContainsKey(n.Name)).Select(State).ToList();
        var budgets = new DisruptionBudgets(connection, log);
        var items = new List<KubernetesUpgradeItem>();
        foreach (var (state, step) in steps)
        {
            var (node, host) = byName[state.Name];
            var blockers = UpgradeRules.Blockers(state, step, apiServer, target, controlPlanesInRun, others).ToList();
            var packages = new Dictionary<string, string>(StringComparer.Ordinal);
            if (step != NodeUpgradeStep.None)
            {
                foreach (var package in Packages.Where(p => p != "kubectl" || host.Installed.ContainsKey(p)))
                {
                    try
                    {
                        packages[package] = PackageVersions.Resolve(package, target.Plain, host.Available[package], node.Name);
                    }
                    catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
                    {
                        blockers.Add(e.Message.TrimEnd('.'));
                    }
                }

                if (drain is not null)
                {
                    blockers.AddRange(await budgets.DrainBlockersAsync(node.Name, drain, cancellationToken).ConfigureAwait(false));
                }
            }

            var plan = new NodeUpgradePlan
            {
                Node = node.Name,
                Step = step,
                KubeletVersion = node.Version,
                KubeadmVersion = host.Kubeadm,
                ApiServerVersion = apiServer.ToString(),
                Target = target.ToString(),
                Available = [.. host.Available["kubeadm"]],
                Held = [.. host.Held],
                Blockers = [.. blockers],
            };
            items.Add(new KubernetesUpgradeItem(node, host.Endpoint, step, target, packages, plan));
        }

        return new KubernetesUpgradePlan(apiServer, from, target, sequence, items, unread);
    }

    private static UpgradeNodeState State(ClusterNode node) => new(
        node.Name,
        node.Roles.Contains(KubeadmCluster.ControlPlaneRole, StringComparer.Ordinal),
        KubernetesVersion.ParseReported(node.Version),
        node.Readiness == NodeReadiness.Ready,
        node.Annotations.ContainsKey(KubernetesRollout.CordonMark));

    private static List<KubernetesVersion> Offered(IReadOnlyList<string> packageVersions) =>
        packageVersions.Select(KubernetesVersion.FromPackage).OfType<KubernetesVersion>().ToList();

    private async Task<HostFacts> ReadHostAsync(ClusterNode node, bool refreshLists, CancellationToken cancellationToken)
    {
        var endpoint = await connector.EndpointAsync(node, cancellationToken).ConfigureAwait(false);
        using var shell = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var packages = await NodePackages.OnHostAsync(shell, node.Name, log, StepTimeout, cancellationToken).ConfigureAwait(false);
        if (refreshLists)
        {
            await packages.RefreshAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        }

        var available = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var package in Packages)
        {
            available[package] = await packages.AvailableAsync(package, StepTimeout, cancellationToken).ConfigureAwait(false);
        }

        var installed = await packages.InstalledAsync(Packages, StepTimeout, cancellationToken).ConfigureAwait(false);
        var held = await packages.HeldAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        var version = await shell.RunAsync("kubeadm version -o json", StepTimeout, cancellationToken).ConfigureAwait(false);
        return new HostFacts(endpoint, version.Succeeded ? KubeadmGitVersion(version.Output) : null, available, installed, held);
    }

    /// <summary>clientVersion.gitVersion of `kubeadm version -o json`; null when the output is not that.</summary>
    internal static string? KubeadmGitVersion(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["clientVersion"]?["gitVersion"]?.GetValue<string>() is { } v && KubernetesVersion.ParseReported(v) is not null ? v : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
