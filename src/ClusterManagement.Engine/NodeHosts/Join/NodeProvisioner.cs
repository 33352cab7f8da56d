using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Runtime;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>Everything New-ClusterNode needs to know about the host and the node it becomes.</summary>
internal sealed class NewNodeRequest
{
    public required string Name { get; init; }
    public required SshTarget Ssh { get; init; }
    public required EngineTarget Engine { get; init; }
    public IReadOnlyDictionary<string, object?>? EngineConfig { get; init; }
    public Uri? EngineInstallUrl { get; init; }
    public RuntimeTarget Runtime { get; init; } = new(ContainerRuntimeKind.Containerd, null);
    public string KubernetesVersion { get; init; } = PackageVersions.Latest;
    public string[] Roles { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public NodeTaint[] Taints { get; init; } = [];
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>What kubeadm init phase upload-certs --upload-certs printed on a control-plane node: decrypts kube-system/kubeadm-certs for a control-plane join.</summary>
    public string? CertificateKey { get; init; }

    public bool JoinsControlPlane => Roles.Contains(KubeadmCluster.ControlPlaneRole, StringComparer.Ordinal);
}

/// <summary>
/// Turns a host into a Ready node. Every step checks what is already done, so running it again after
/// a failure picks up where the last run stopped instead of starting over.
/// </summary>
internal sealed class NodeProvisioner(ClusterConnection connection, NodeConnector connector, IOperationLog log)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] KubernetesPackages = ["kubelet", "kubeadm"];

    public static IReadOnlyList<string> Plan(NewNodeRequest request)
    {
        var engine = request.Engine;
        var containerd = engine.ContainerdVersion is null ? string.Empty : $", {engine.ContainerdPackage} {engine.ContainerdVersion}";
        var labels = request.Roles.Select(r => $"node-role.kubernetes.io/{r}").Concat(request.Labels.Select(l => $"{l.Key}={l.Value}")).ToList();
        var script = request.EngineInstallUrl is { } url
            ? $"Fetch the install script {url} here and, when {engine.EnginePackage} is not installed yet, run it on the host as root with VERSION={engine.EngineVersion}; then "
            : string.Empty;
        return
        [
            $"Check that the cluster has what kubeadm join reads (kube-public/cluster-info, kube-system/kubeadm-config); connect to {request.Ssh} (host key checked against known_hosts) and check os-release, sudo -n, the package family, swap, port 10250 and IPv4 forwarding"
                + (request.EngineConfig is null ? string.Empty : ", and that no -EngineConfig directive is already a dockerd flag in docker.service (dockerd refuses both)"),
            $"{script}{(script.Length > 0 ? "r" : "R")}esolve {engine.EnginePackage} {engine.EngineVersion}{containerd}, kubelet/kubeadm {request.KubernetesVersion} against the host's package sources (nothing changes if one is missing)",
            $"Configure the engine: {(request.EngineConfig is null ? string.Empty : $"write {EngineInstaller.DaemonConfigPath} (the engine restarts after the install when it changes); ")}remove {EngineInstaller.LegacyListenerDropIn} (the TCP listener of earlier module versions) if present, restarting a running engine without it",
            $"Install {engine.EnginePackage}{containerd} at the resolved versions and hold {string.Join(", ", engine.HeldPackages)}",
            $"Restart the engine and verify its version through the Engine API (docker system dial-stdio over SSH to {EngineClient.SocketPath})",
            RuntimePlan(request.Runtime),
            $"Install kubelet and kubeadm at the resolved version and hold them; load overlay and br_netfilter (/etc/modules-load.d) and set net.ipv4.ip_forward and bridge-nf-call-iptables to 1 (/etc/sysctl.d/{KubeletHostPreflight.FileName}, sysctl --system)",
            $"Create a bootstrap token and run kubeadm join against {{API server}} as node {request.Name}, the kubelet on CRI socket {request.Runtime.CriSocket}"
                + (request.JoinsControlPlane ? " with --control-plane and the certificate key (kubeadm downloads kube-system/kubeadm-certs and marks the node control-plane)" : string.Empty),
            "Wait for the Node to be Ready, or NotReady for want of a CNI network configuration only (a warning: the cluster's network add-on provides it)",
            $"Record access data (host, port, user, host key) in {NodeAccessRecords.Namespace}/{NodeAccessRecords.Name}"
                + (labels.Count > 0 ? $", labels {string.Join(", ", labels)}" : string.Empty)
                + (request.Taints.Length > 0 ? $", taints {string.Join(", ", request.Taints.Select(t => t.ToString()))}" : string.Empty),
        ];
    }

    private static string RuntimePlan(RuntimeTarget runtime) => runtime.Kind == ContainerRuntimeKind.Docker
        ? $"Install cri-dockerd ({runtime.CriDockerdPackage}) and hold it, start {ContainerRuntimeSetup.CriDockerdUnit}, and check through the CRI on {runtime.CriSocket} that the Docker Engine answers there"
        : $"Configure containerd's CRI plugin for the kubelet in {RuntimeTarget.ContainerdConfigPath} (SystemdCgroup = true for runc, the pause image of the Kubernetes version), restart containerd when that changes it, and check through the CRI on {runtime.CriSocket} that it runs so";

    public async Task<ClusterNode> RunAsync(NewNodeRequest request, CancellationToken cancellationToken)
    {
        NodeMetadataValidation.Require(request.Name, request.Roles, request.Labels, request.Taints);
        KubeadmCluster.RequireCertificateKeyForm(request);
        var steps = Plan(request).Count;
        var started = new List<string>();
        void Step(string status)
        {
            started.Add(status);
            log.Progress(new(1, $"Adding node {request.Name}", $"{started.Count}/{steps}: {status}", (started.Count - 1) * 100 / steps));
        }

        try
        {
            return await ProvisionAsync(request, Step, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && started.Count > 0)
        {
            // Ctrl+C: no node comes back, so the warning is all that tells how far the host got.
            var done = started.Count > 1 ? string.Join("; ", started.SkipLast(1)) : "nothing";
            log.Warning($"Stopped adding node {request.Name} during step {started.Count}/{steps} ({started[^1]}), which may be half-done. Steps done before it: {done}. "
                + "Run New-ClusterNode again to finish (each step checks what is already done), or Remove-ClusterNode to undo a join.");
            throw;
        }
    }

    private async Task<ClusterNode> ProvisionAsync(NewNodeRequest request, Action<string> step, CancellationToken cancellationToken)
    {
        step("Preflight");
        // Read-only, and first: a cluster kubeadm join cannot join is refused before the host is touched.
        var cluster = await KubeadmCluster.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (request.JoinsControlPlane)
        {
            await cluster.RequireControlPlaneJoinAsync(connection, request.Name, cancellationToken).ConfigureAwait(false);
        }
        await ExistingNode.RequireJoinableAsync(connection, request, log, cancellationToken).ConfigureAwait(false);

        var installScript = request.EngineInstallUrl is { } installUrl
            ? await EngineInstallScript.FetchAsync(installUrl, StepTimeout, cancellationToken).ConfigureAwait(false)
            : null;
        using var shell = await connector.ConnectAsync(new NodeEndpoint(request.Name, request.Ssh, null), cancellationToken).ConfigureAwait(false);
        await shell.SudoCheckedAsync("true", StepTimeout, "sudo -n", cancellationToken).ConfigureAwait(false);
        var osRelease = OsRelease.Parse((await shell.RunAsync("cat /etc/os-release", StepTimeout, cancellationToken).ConfigureAwait(false)).Output);
        var family = osRelease.Family(request.Name);
        if (!(await shell.RunAsync("test -d /run/systemd/system", StepTimeout, cancellationToken).ConfigureAwait(false)).Succeeded)
        {
            throw new ClusterException(ClusterErrors.SystemdMissing, $"{request.Ssh} does not run systemd; the module manages kubelet and the engine as systemd units.", request.Name);
        }

        KubeletHostPreflight.Require(request.Name, (await shell.SudoCheckedAsync(KubeletHostPreflight.ReadScript, StepTimeout, "kubeadm preflight checks", cancellationToken).ConfigureAwait(false)));
        var packages = new NodePackages(shell, request.Name, family, log);
        var installer = new EngineInstaller(shell, request.Name, packages, log);
        await installer.RequireConfigFitsFlagsAsync(request.EngineConfig, StepTimeout, cancellationToken).ConfigureAwait(false);
        log.Verbose($"{request.Name}: {osRelease.PrettyName}, {family} packages.");

        step("Resolving versions");
        if (installScript is not null)
        {
            await installScript.RunAsync(shell, packages, request.Engine, StepTimeout, log, cancellationToken).ConfigureAwait(false);
        }

        await packages.RefreshAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        var engine = await installer.ResolveAsync(request.Engine, StepTimeout, cancellationToken).ConfigureAwait(false);
        var runtime = new ContainerRuntimeSetup(shell, request.Name, packages, log);
        var criDockerdVersion = await runtime.ResolveCriDockerdAsync(request.Runtime, StepTimeout, cancellationToken).ConfigureAwait(false);
        var kubernetes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var package in KubernetesPackages)
        {
            kubernetes[package] = PackageVersions.Resolve(package, request.KubernetesVersion, await packages.AvailableAsync(package, StepTimeout, cancellationToken).ConfigureAwait(false), request.Name);
        }

        step("Configuring the engine");
        var configChanged = await installer.ConfigureAsync(request.EngineConfig, StepTimeout, cancellationToken).ConfigureAwait(false);
        await installer.RemoveLegacyListenerAsync(restartRunningEngine: true, StepTimeout, cancellationToken).ConfigureAwait(false);

        step($"Installing {string.Join(", ", engine.Versions.Select(v => $"{v.Key} {v.Value}"))}");
        await installer.InstallAsync(engine, StepTimeout, cancellationToken).ConfigureAwait(false);
        if (configChanged)
        {
            // An engine that was running already still has the old daemon.json loaded.
            await installer.RestartAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
        }

        step("Verifying the engine");
        NodeDocker docker;
        try
        {
            docker = await installer.VerifyAsync(engine, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Error == ClusterErrors.EngineNotRunning || e.Error == ClusterErrors.EngineVersionMismatch)
        {
            // Not yet answering on its socket, or still the previous binaries: restart once.
            await installer.RestartAsync(StepTimeout, cancellationToken).ConfigureAwait(false);
            docker = await installer.VerifyAsync(engine, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }

        step(request.Runtime.Kind == ContainerRuntimeKind.Docker ? "Setting up cri-dockerd" : "Configuring containerd's CRI plugin");
        await runtime.ConfigureAsync(request.Runtime, request.Engine.Source, RuntimeTarget.PauseImageFor(kubernetes["kubeadm"], request.Name), criDockerdVersion, StepTimeout, cancellationToken)
            .ConfigureAwait(false);

        step($"Installing kubelet and kubeadm {kubernetes["kubeadm"]}");
        await packages.InstallPinnedAsync(kubernetes, KubernetesPackages, StepTimeout, cancellationToken).ConfigureAwait(false);
        KubeletHostPreflight.RequireForwarding(request.Name, await shell.SudoCheckedAsync(KubeletHostPreflight.ApplyScript, StepTimeout, "kernel settings for Kubernetes", cancellationToken).ConfigureAwait(false));

        step("Joining the cluster");
        await JoinAsync(shell, request, kubernetes["kubeadm"], cancellationToken).ConfigureAwait(false);

        step("Waiting for the Node to be Ready");
        var joined = (await NodeReadinessWait.UntilNodeAsync(connection, request.Name, n => n is not null && (n.Readiness == NodeReadiness.Ready || NodeNetworkMissing(n) is not null),
            request.Timeout, log, cancellationToken).ConfigureAwait(false))!;
        RequireRuntime(joined, request.Runtime);
        if (NodeNetworkMissing(joined) is { } why)
        {
            log.Warning($"{request.Name} joined the cluster but stays NotReady until it has a pod network: the kubelet reports \"{why}\". "
                + $"No CNI network configuration is loaded from /etc/cni/net.d on {request.Name}: install the cluster's network add-on (a CNI plugin such as Calico, Cilium or Flannel); "
                + "if one runs already, its pod on this node writes the configuration shortly. Until then the node runs no pods.");
        }

        step("Recording access data");
        var labels = request.Roles.ToDictionary(r => $"node-role.kubernetes.io/{r}", _ => (string?)string.Empty);
        foreach (var label in request.Labels)
        {
            labels[label.Key] = label.Value;
        }

        await new NodeAccessRecords(connection).SetAsync(request.Name, new NodeAccessRecord(request.Ssh.Host, request.Ssh.Port, request.Ssh.User, shell.HostKeyFingerprint), cancellationToken).ConfigureAwait(false);
        // The access data earlier versions kept on the Node goes: nobody should take it for the record.
        var annotations = NodeAnnotations.Legacy.ToDictionary(a => a, _ => (string?)null);
        var node = await NodeRecord.ApplyAsync(connection, request.Name, annotations, labels, request.Taints, log, cancellationToken).ConfigureAwait(false);
        log.Verbose($"{request.Name} is {node.Readiness}, its pods on {node.ContainerRuntime}, with Docker {docker.Version} (containerd {docker.ContainerdBuild ?? docker.Containerd}) beside them.");
        log.Progress(new(1, $"Adding node {request.Name}", "Done", 100, Completed: true));
        return node;
    }

    private async Task JoinAsync(NodeShell shell, NewNodeRequest request, string kubeadmVersion, CancellationToken cancellationToken)
    {
        // kubeadm removes bootstrap-kubelet.conf once the kubelet has its certificate: while it is there, a join stopped half-way.
        var state = (await shell.SudoAsync(
            "if [ -s /etc/kubernetes/kubelet.conf ] && [ ! -e /etc/kubernetes/bootstrap-kubelet.conf ]; then echo joined; " +
            "elif [ -e /etc/kubernetes/kubelet.conf ] || [ -e /etc/kubernetes/bootstrap-kubelet.conf ]; then echo partial; else echo none; fi",
            StepTimeout,
            cancellationToken).ConfigureAwait(false)).Output.Trim();
        var registered = await ExistsAsync(request.Name, cancellationToken).ConfigureAwait(false);
        if (state == "joined" && registered)
        {
            log.Verbose($"{request.Name} has already joined; not joining again.");
            return;
        }

        if (state != "none")
        {
            // A join that stopped half-way, or one whose Node is gone (deleted, or a failed run): start the join afresh.
            await shell.SudoCheckedAsync("kubeadm reset -f", StepTimeout, "kubeadm reset", cancellationToken).ConfigureAwait(false);
        }

        var hash = BootstrapTokens.CaCertHash(connection);
        var apiVersion = KubeadmJoinConfiguration.ApiVersionFor(kubeadmVersion, request.Name);
        // Deleted when the join ends; the expiry only bounds a token whose deletion failed.
        var token = await BootstrapTokens.CreateAsync(connection, $"ClusterManagement New-ClusterNode {request.Name}", request.Timeout + TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        log.Secret(token);
        if (request.CertificateKey is { } key)
        {
            log.Secret(key);
        }

        try
        {
            var server = new Uri(connection.Server);
            var configuration = KubeadmJoinConfiguration.Render(apiVersion, $"{server.Host}:{server.Port}", token, hash, request.Name, request.Runtime.CriSocket, request.JoinsControlPlane ? request.CertificateKey : null);
            var result = await shell.SudoAsync(KubeadmJoinConfiguration.JoinScript, request.Timeout, cancellationToken, configuration).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                var output = BootstrapTokens.Redact(NodeShell.Tail(result.Error.Length > 0 ? result.Error : result.Output), token);
                throw new ClusterException(ClusterErrors.KubeadmJoinFailed, $"kubeadm join failed on {request.Name}: {(request.CertificateKey is { } secret ? output.Replace(secret, "<certificate-key>", StringComparison.OrdinalIgnoreCase) : output)}",
                    request.Name);
            }
        }
        finally
        {
            // The kubelet has its own client certificate once the join is done; a failed join starts over with a new token.
            await BootstrapTokens.DeleteAsync(connection, token, log).ConfigureAwait(false);
        }
    }

    /// <summary>The kubelet's reason when its only complaint is the missing pod network (containerd's NetworkReady=false), else null.</summary>
    internal static string? NodeNetworkMissing(ClusterNode node) =>
        node.Readiness == NodeReadiness.NotReady && node.Conditions.FirstOrDefault(c => c.Type == "Ready") is { Message: { } message }
            && message.StartsWith("container runtime network not ready:", StringComparison.Ordinal) && !message.Contains(", ", StringComparison.Ordinal)
            ? message
            : null;

    /// <summary>What the kubelet reports it runs pods with is the runtime that answered on its CRI socket: it must be the one set up.</summary>
    private static void RequireRuntime(ClusterNode node, RuntimeTarget runtime)
    {
        if (node.ContainerRuntime is not { } reported || !reported.StartsWith(runtime.ReportedName + "://", StringComparison.Ordinal))
        {
            throw new ClusterException(ClusterErrors.ContainerRuntimeMismatch,
                $"The kubelet on {node.Name} runs pods on {node.ContainerRuntime ?? "(nothing reported)"}, not on {runtime.ReportedName} through {runtime.CriSocket}: check its containerRuntimeEndpoint in /var/lib/kubelet/config.yaml.", node.Name);
        }
    }

    private async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await new NodeService(connection).GetAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
        {
            return false;
        }
    }
}
