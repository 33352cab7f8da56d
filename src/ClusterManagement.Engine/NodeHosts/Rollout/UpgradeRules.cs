using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>A node as the upgrade rules see it. <paramref name="LeftCordoned"/>: a failed upgrade left its cordon on the node.</summary>
internal sealed record UpgradeNodeState(string Name, bool ControlPlane, KubernetesVersion? Kubelet, bool Ready, bool LeftCordoned = false);

/// <summary>
/// kubeadm's upgrade order and Kubernetes' version skew policy, as pure rules: the control planes first (the first one
/// runs kubeadm upgrade apply, the others kubeadm upgrade node), then the workers; one minor at a time; a kubelet never
/// newer than the API server and at most three minors older.
/// </summary>
internal static class UpgradeRules
{
    /// <summary>The oldest kubelet the API server serves: three minors older (the policy since 1.28).</summary>
    public const int KubeletMaxMinorsBehind = 3;

    /// <summary>
    /// The release a request means, from the versions the package sources offer: "latest" is the newest patch of the minor after
    /// the API server's (or the newest patch of its own minor when there is no next one yet), a minor its newest patch.
    /// </summary>
    public static KubernetesVersion ResolveTarget(KubernetesVersion.VersionRequest request, KubernetesVersion apiServer, IReadOnlyList<KubernetesVersion> available, string source)
    {
        var offered = available.Distinct().OrderDescending().ToList();
        if (request.IsLatest)
        {
            return offered.FirstOrDefault(v => v.Major == apiServer.Major && v.Minor == apiServer.Minor + 1) is { Major: > 0 } next
                ? next
                : offered.FirstOrDefault(v => v.Major == apiServer.Major && v.Minor == apiServer.Minor && v > apiServer) is { Major: > 0 } patch ? patch : apiServer;
        }

        return offered.FirstOrDefault(request.Matches) is { Major: > 0 } chosen
            ? chosen
            : throw new ClusterException(ClusterErrors.PackageVersionNotAvailable,
                $"Kubernetes {request} is not available on {source}: its package sources offer kubeadm {(offered.Count == 0 ? "in no version" : string.Join(", ", offered.Select(v => v.Plain)))}.", source);
    }

    /// <summary>
    /// The upgrades to run, one minor each, from <paramref name="from"/> (the older of the API server and the oldest kubelet to
    /// upgrade) to <paramref name="target"/>: the newest offered patch of every minor in between, then the target itself.
    /// </summary>
    public static IReadOnlyList<KubernetesVersion> Sequence(KubernetesVersion from, KubernetesVersion target, IReadOnlyList<KubernetesVersion> available, string source)
    {
        if (target.Major != from.Major)
        {
            throw new ClusterException(ClusterErrors.KubernetesUpgradeSkipsMinor, $"{from} to {target} crosses a major version, which kubeadm does not upgrade.", target.ToString());
        }

        var steps = new List<KubernetesVersion>();
        for (var minor = from.Minor + 1; minor < target.Minor; minor++)
        {
            var step = available.Where(v => v.Major == target.Major && v.Minor == minor).DefaultIfEmpty().Max();
            steps.Add(step.Major > 0
                ? step
                : throw new ClusterException(ClusterErrors.PackageVersionNotAvailable,
                    $"Going from {from} to {target} passes through {target.Major}.{minor}, one minor at a time, but {source}'s package sources offer no {target.Major}.{minor} release of kubeadm.", source));
        }

        steps.Add(target);
        return steps;
    }

    /// <summary>The refusal of a request that skips minors, naming the upgrades to run instead.</summary>
    public static ClusterException SkipsMinors(KubernetesVersion from, IReadOnlyList<KubernetesVersion> sequence) => new(
        ClusterErrors.KubernetesUpgradeSkipsMinor,
        $"Kubernetes is upgraded one minor version at a time, and {from} to {sequence[^1]} skips {sequence.Count - 1}. Nothing was changed. "
            + $"Run -KubernetesVersion {string.Join(", then ", sequence.Select(v => v.Plain))}; or add -Stepwise to run them one after the other.",
        sequence[^1].ToString());

    /// <summary>
    /// Each node's step, control planes first (by name), then workers (by name). The first control plane applies when the API server
    /// is below the target; once it is there (a re-run) every control plane only runs kubeadm upgrade node. A node already at the target
    /// has no step, unless a failed run left it cordoned: it goes through its cycle again to be verified and uncordoned.
    /// </summary>
    public static IReadOnlyList<(UpgradeNodeState Node, NodeUpgradeStep Step)> Steps(IReadOnlyList<UpgradeNodeState> nodes, KubernetesVersion apiServer, KubernetesVersion target)
    {
        var ordered = nodes.Where(n => n.ControlPlane).OrderBy(n => n.Name, StringComparer.Ordinal)
            .Concat(nodes.Where(n => !n.ControlPlane).OrderBy(n => n.Name, StringComparer.Ordinal)).ToList();
        var applies = apiServer < target;
        var steps = new List<(UpgradeNodeState, NodeUpgradeStep)>();
        foreach (var node in ordered)
        {
            var needed = node.Kubelet is not { } kubelet || kubelet < target || node.LeftCordoned;
            NodeUpgradeStep step;
            if (node.ControlPlane && applies)
            {
                step = NodeUpgradeStep.ControlPlaneApply;
                applies = false;
            }
            else
            {
                step = !needed ? NodeUpgradeStep.None : node.ControlPlane ? NodeUpgradeStep.ControlPlaneNode : NodeUpgradeStep.Worker;
            }

            steps.Add((node, step));
        }

        return steps;
    }

    /// <summary>
    /// Why <paramref name="node"/> cannot take its step now, one reason each. <paramref name="controlPlanesInRun"/>: the control planes are
    /// upgraded before it in the same run. <paramref name="others"/>: the nodes the run leaves as they are, whose kubelets must stay in skew.
    /// </summary>
    public static IReadOnlyList<string> Blockers(UpgradeNodeState node, NodeUpgradeStep step, KubernetesVersion apiServer, KubernetesVersion target, bool controlPlanesInRun, IEnumerable<UpgradeNodeState> others)
    {
        var blockers = new List<string>();
        if (node.Kubelet is not { } kubelet)
        {
            blockers.Add("its Node reports no kubelet version");
            return blockers;
        }

        if (kubelet > target)
        {
            blockers.Add($"its kubelet {kubelet} is newer than the target {target}: kubeadm does not downgrade");
        }

        if (kubelet > apiServer)
        {
            blockers.Add($"its kubelet {kubelet} is newer than the API server {apiServer}, which the skew policy never allows");
        }

        if (step == NodeUpgradeStep.None)
        {
            return blockers;
        }

        if (target.MinorsAbove(kubelet) > 1)
        {
            blockers.Add($"{kubelet} to {target} skips a minor: upgrade to {kubelet.Major}.{kubelet.Minor + 1} first (one minor at a time)");
        }

        if (step is NodeUpgradeStep.ControlPlaneApply or NodeUpgradeStep.ControlPlaneNode && target.MinorsAbove(apiServer) > 1)
        {
            blockers.Add($"the control plane goes one minor at a time, and the API server's {apiServer} to {target} skips a minor");
        }

        if (step == NodeUpgradeStep.Worker && target > apiServer && !controlPlanesInRun)
        {
            blockers.Add($"the API server is at {apiServer}: upgrade the control planes first (a kubelet is never newer than the API server)");
        }

        if (step == NodeUpgradeStep.ControlPlaneApply)
        {
            foreach (var other in others.Where(o => o.Kubelet is { } k && target.MinorsAbove(k) > KubeletMaxMinorsBehind))
            {
                blockers.Add($"after the upgrade {other.Name}'s kubelet {other.Kubelet} would be more than {KubeletMaxMinorsBehind} minors older than the API server {target}: upgrade it first");
            }
        }

        if (!node.Ready && !node.LeftCordoned)
        {
            blockers.Add("the node is NotReady (an upgrade could not tell whether it broke the kubelet)");
        }

        return blockers;
    }
}
