using System.Text.Json;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Docker;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Services;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Runtime;

/// <summary>
/// Makes the node's CRI runtime what the kubelet needs and proves it through the CRI: containerd's CRI
/// plugin on (Docker's containerd.io packages turn it off), the systemd cgroup driver for runc (what
/// kubeadm configures the kubelet with) and kubeadm's pause image; or cri-dockerd in front of the Docker Engine.
/// </summary>
internal sealed class ContainerRuntimeSetup(NodeShell shell, string node, NodePackages packages, IOperationLog log)
{
    public const string CriDockerdUnit = "cri-docker.service";
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(30);

    /// <summary>The whole containerd configuration the module keeps: every setting not named here is containerd's default.</summary>
    public static string ContainerdConfig(string pauseImage, EngineSource source) =>
        $$"""
        # Written by ClusterManagement New-ClusterNode: containerd's CRI plugin for the kubelet.
        version = 2

        [plugins]
          [plugins."io.containerd.grpc.v1.cri"]
            sandbox_image = "{{pauseImage}}"
            [plugins."io.containerd.grpc.v1.cri".cni]
              bin_dir = "{{(source == EngineSource.Distribution ? "/usr/lib/cni" : "/opt/cni/bin")}}"
              conf_dir = "/etc/cni/net.d"
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                SystemdCgroup = true
          [plugins."io.containerd.internal.v1.opt"]
            path = "/var/lib/containerd/opt"

        """;

    /// <summary>Resolves a cri-dockerd package name against the node's sources; nothing changes on the node.</summary>
    public async Task<string?> ResolveCriDockerdAsync(RuntimeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target.Kind != ContainerRuntimeKind.Docker || target.CriDockerdIsFile)
        {
            return null;
        }

        var package = target.CriDockerdPackage!;
        return PackageVersions.Resolve(package, PackageVersions.Latest, await packages.AvailableAsync(package, timeout, cancellationToken).ConfigureAwait(false), node);
    }

    public async Task<CriStatus> ConfigureAsync(RuntimeTarget target, EngineSource source, string pauseImage, string? criDockerdVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target.Kind == ContainerRuntimeKind.Docker)
        {
            if (target.CriDockerdIsFile)
            {
                await packages.InstallFileAsync(target.CriDockerdPackage!, "cri-dockerd", timeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await packages.InstallPinnedAsync(new Dictionary<string, string> { [target.CriDockerdPackage!] = criDockerdVersion! }, [target.CriDockerdPackage!], timeout, cancellationToken).ConfigureAwait(false);
            }

            await shell.SudoCheckedAsync($"systemctl enable --now {CriDockerdUnit}", timeout, $"Starting {CriDockerdUnit}", cancellationToken).ConfigureAwait(false);
            return await AnsweringAsync(target, CriDockerdUnit, timeout, cancellationToken).ConfigureAwait(false);
        }

        var config = ContainerdConfig(pauseImage, source);
        var current = await shell.SudoAsync($"cat {RuntimeTarget.ContainerdConfigPath}", timeout, cancellationToken).ConfigureAwait(false);
        if (current.Output != config)
        {
            log.Verbose($"Writing {RuntimeTarget.ContainerdConfigPath} on {node} (CRI plugin on, SystemdCgroup = true, sandbox image {pauseImage}) and restarting containerd.");
            await shell.WriteFileAsync(RuntimeTarget.ContainerdConfigPath, config, "0644", timeout, cancellationToken).ConfigureAwait(false);
            await shell.SudoCheckedAsync("systemctl restart containerd.service", timeout, "Restarting containerd", cancellationToken).ConfigureAwait(false);
        }

        var status = await AnsweringAsync(target, "containerd", timeout, cancellationToken).ConfigureAwait(false);
        RequireLoaded(status, pauseImage);
        return status;
    }

    /// <summary>
    /// containerd reads its file once, at start: what counts is the configuration it reports through the
    /// CRI. A drop-in or a second file given with --config would leave the written file without effect.
    /// </summary>
    private void RequireLoaded(CriStatus status, string pauseImage)
    {
        var loaded = status.LoadedConfig;
        var systemdCgroup = loaded is { } config
            && config.TryGetProperty("containerd", out var containerd)
            && containerd.TryGetProperty("runtimes", out var runtimes)
            && runtimes.TryGetProperty("runc", out var runc)
            && runc.TryGetProperty("options", out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("SystemdCgroup", out var flag)
            && flag.ValueKind == JsonValueKind.True;
        var sandboxImage = loaded is { } c && c.TryGetProperty("sandboxImage", out var image) ? image.GetString() : null;
        if (!systemdCgroup || sandboxImage != pauseImage)
        {
            throw new ClusterException(ClusterErrors.ContainerRuntimeMismatch,
                $"containerd on {node} runs with SystemdCgroup = {systemdCgroup.ToString().ToLowerInvariant()} and sandbox image {sandboxImage ?? "(not reported)"} after the restart, "
                + $"not SystemdCgroup = true and {pauseImage} as {RuntimeTarget.ContainerdConfigPath} says: does containerd.service start it with another --config?", node);
        }
    }

    /// <summary>Waits (bounded) until the runtime answers CRI calls and says it is ready; its journal tells why when it does not.</summary>
    private async Task<CriStatus> AnsweringAsync(RuntimeTarget target, string unit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + AnswerWait;
        while (true)
        {
            ClusterException failure;
            try
            {
                var status = await CriProbe.StatusAsync(shell, node, target.CriSocket, timeout, cancellationToken).ConfigureAwait(false);
                if (status.Condition("RuntimeReady") is { Status: true })
                {
                    log.Verbose($"{target.ReportedName} answers CRI calls on {target.CriSocket} on {node}.");
                    return status;
                }

                var condition = status.Condition("RuntimeReady");
                failure = new ClusterException(ClusterErrors.ContainerRuntimeNotReady, $"The runtime on {target.CriSocket} on {node} is not ready: RuntimeReady={condition?.Status.ToString().ToLowerInvariant() ?? "missing"} {condition?.Reason} {condition?.Message}".TrimEnd(), node);
            }
            catch (ClusterException e) when (e.Error == ClusterErrors.ContainerRuntimeNotReady)
            {
                failure = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var journal = await NodeUnitService.JournalAsync(shell, unit, 10, timeout, cancellationToken).ConfigureAwait(false);
                throw new ClusterException(ClusterErrors.ContainerRuntimeNotReady, $"{failure.Message}\nLast journal lines of {unit}:\n{journal}", node, failure);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }
}
