using System.Text.Json;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Services;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>What to install: the engine at a version prefix, optionally containerd at its own.</summary>
internal sealed record EngineTarget(EngineSource Source, string EngineVersion, string? ContainerdVersion)
{
    public string EnginePackage => Source == EngineSource.Distribution ? "docker.io" : "docker-ce";
    public string ContainerdPackage => Source == EngineSource.Distribution ? "containerd" : "containerd.io";
    public string DockerdPath => Source == EngineSource.Distribution ? "/usr/sbin/dockerd" : "/usr/bin/dockerd";

    public override string ToString() =>
        $"{EnginePackage} {EngineVersion}" + (ContainerdVersion is null ? string.Empty : $", {ContainerdPackage} {ContainerdVersion}");

    public string[] HeldPackages => Source == EngineSource.Distribution
        ? ["docker.io", "containerd", "runc"]
        : ["docker-ce", "docker-ce-cli", "containerd.io"];
}

/// <summary>The exact package versions a target resolved to on one node.</summary>
internal sealed record ResolvedEngine(EngineTarget Target, IReadOnlyDictionary<string, string> Versions)
{
    public string EngineVersion => Versions[Target.EnginePackage];
    public string? ContainerdVersion => Versions.GetValueOrDefault(Target.ContainerdPackage);
}

/// <summary>
/// Installs and upgrades a node's Docker Engine at pinned versions, keeps its API on the unix socket
/// only (reached through SSH, <see cref="EngineClient.DialCommand"/>), and proves the result through the Engine API.
/// </summary>
internal sealed class EngineInstaller(NodeShell shell, string node, NodePackages packages, IOperationLog log)
{
    /// <summary>
    /// Where earlier versions of the module put a drop-in making dockerd listen on tcp://127.0.0.1:2375
    /// without authentication: root for every local user and hostNetwork pod. Nothing writes it any more;
    /// it is removed wherever it is found.
    /// </summary>
    public const string LegacyListenerDropIn = "/etc/systemd/system/docker.service.d/20-clustermanagement.conf";

    public const string DaemonConfigPath = "/etc/docker/daemon.json";

    /// <summary>Resolves version prefixes against what the node's sources offer; nothing changes on the node.</summary>
    public async Task<ResolvedEngine> ResolveAsync(EngineTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var engine = PackageVersions.Resolve(target.EnginePackage, target.EngineVersion, await packages.AvailableAsync(target.EnginePackage, timeout, cancellationToken).ConfigureAwait(false), node);
        versions[target.EnginePackage] = engine;
        if (target.Source == EngineSource.DockerCE)
        {
            versions["docker-ce-cli"] = engine;
        }

        if (target.ContainerdVersion is { } containerd)
        {
            versions[target.ContainerdPackage] = PackageVersions.Resolve(
                target.ContainerdPackage, containerd, await packages.AvailableAsync(target.ContainerdPackage, timeout, cancellationToken).ConfigureAwait(false), node);
        }

        return new ResolvedEngine(target, versions);
    }

    /// <summary>
    /// Read-only, before anything changes: refuses a daemon.json that names a directive docker.service already
    /// passes to dockerd as a flag (<see cref="DockerdFlags"/>), since dockerd would then refuse to start.
    /// </summary>
    public async Task RequireConfigFitsFlagsAsync(IReadOnlyDictionary<string, object?>? daemonConfig, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (daemonConfig is not null)
        {
            var unit = await shell.SudoCheckedAsync(DockerdFlags.ReadScript, timeout, "Reading docker.service's dockerd flags", cancellationToken).ConfigureAwait(false);
            DockerdFlags.RequireNoConflicts(node, daemonConfig.Keys, DockerdFlags.Parse(unit));
        }
    }

    /// <summary>
    /// Writes daemon.json (when given) before the packages, so the engine's very first start already has
    /// it: on hosts that share a network namespace an engine must never come up with its default bridge
    /// and iptables rules. Returns whether the file changed: a running engine reads it only when it restarts.
    /// </summary>
    public async Task<bool> ConfigureAsync(IReadOnlyDictionary<string, object?>? daemonConfig, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (daemonConfig is null)
        {
            return false;
        }

        var json = JsonSerializer.Serialize(daemonConfig, new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var current = await shell.SudoAsync($"cat {NodeShell.Quote(DaemonConfigPath)}", timeout, cancellationToken).ConfigureAwait(false);
        if (current.Succeeded && current.Output == json)
        {
            return false;
        }

        await shell.WriteFileAsync(DaemonConfigPath, json, "0644", timeout, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> HasLegacyListenerAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        (await shell.RunAsync($"test -e {NodeShell.Quote(LegacyListenerDropIn)}", timeout, cancellationToken).ConfigureAwait(false)).Succeeded;

    /// <summary>
    /// Removes the listener drop-in of earlier module versions and reloads systemd; with
    /// <paramref name="restartRunningEngine"/> an engine that is running (and so still listening) is
    /// restarted without it. Says so with a warning; returns whether there was one.
    /// </summary>
    public async Task<bool> RemoveLegacyListenerAsync(bool restartRunningEngine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var restart = restartRunningEngine ? "; systemctl reset-failed docker.service 2>/dev/null; systemctl try-restart docker.service" : string.Empty;
        var script = $"set -e; if [ -e {NodeShell.Quote(LegacyListenerDropIn)} ]; then rm -f {NodeShell.Quote(LegacyListenerDropIn)}; systemctl daemon-reload{restart}; echo removed; fi";
        var output = await shell.SudoCheckedAsync(script, timeout, $"Removing {LegacyListenerDropIn}", cancellationToken).ConfigureAwait(false);
        if (!output.Contains("removed", StringComparison.Ordinal))
        {
            return false;
        }

        log.Warning($"{node} had {LegacyListenerDropIn}, which made dockerd listen on TCP without authentication: removed it"
            + (restartRunningEngine ? " and restarted a running engine; the engine now listens on its unix socket only." : "; the engine listens on its unix socket only from its next start."));
        return true;
    }

    public async Task InstallAsync(ResolvedEngine resolved, TimeSpan timeout, CancellationToken cancellationToken) =>
        await packages.InstallPinnedAsync(resolved.Versions, resolved.Target.HeldPackages, timeout, cancellationToken).ConfigureAwait(false);

    /// <summary>Restarts containerd and the engine; when the engine does not come back, the error carries its journal.</summary>
    public async Task RestartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await shell.SudoAsync(
            "systemctl reset-failed docker.service containerd.service 2>/dev/null; systemctl restart containerd.service 2>/dev/null; systemctl restart docker.service",
            timeout,
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw await EngineFailedAsync($"systemctl restart docker failed: {NodeShell.Tail(result.Error, 3)}", timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the engine through its API and checks it runs the resolved versions.</summary>
    public async Task<NodeDocker> VerifyAsync(ResolvedEngine resolved, TimeSpan timeout, CancellationToken cancellationToken)
    {
        EngineClient engine;
        try
        {
            engine = await EngineClient.OpenAsync(shell, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Error == ClusterErrors.EngineNotAnswering || e.Error == ClusterErrors.EngineResponseTimeout)
        {
            throw await EngineFailedAsync(e.Message, timeout, cancellationToken).ConfigureAwait(false);
        }

        using (engine)
        {
            var version = engine.ServerVersion.Version;
            var containerd = engine.ComponentVersion("containerd");
            var wantedEngine = PackageVersions.Upstream(resolved.EngineVersion);
            if (!ComponentMatches(version, wantedEngine))
            {
                throw new ClusterException(ClusterErrors.EngineVersionMismatch, $"The engine on {node} reports version {version} through its API, not {wantedEngine} ({resolved.EngineVersion}).", node);
            }

            var containerdBuild = engine.ComponentBuild("containerd");
            if (resolved.ContainerdVersion is { } pinned && !BuildMatches(containerd, containerdBuild, pinned))
            {
                throw new ClusterException(ClusterErrors.EngineVersionMismatch, $"The engine on {node} reports containerd {containerd} (build {containerdBuild}) through its API, not {pinned}.", node);
            }

            log.Verbose($"Engine on {node} answers: Docker {version}, API {engine.ApiVersion}, containerd {containerd}.");
            return new NodeDocker
            {
                Node = node,
                State = NodeDockerState.Running,
                Version = version,
                ApiVersion = engine.ApiVersion.ToString(),
                Containerd = containerd,
                ContainerdBuild = engine.ComponentBuild("containerd"),
                Runc = engine.ComponentVersion("runc"),
                Os = engine.ServerVersion.Os,
                Kernel = engine.ServerVersion.KernelVersion,
                Endpoint = EngineClient.Endpoint(shell.Target),
            };
        }
    }

    /// <summary>
    /// Binaries report the upstream version, packagers add their own suffixes ("20.10.24+dfsg1" for
    /// 20.10.24+dfsg1, "1.6.20~ds1" for containerd 1.6.20~ds1): the reported version must equal the
    /// package's upstream version or that version without the packager's "+"/"~" suffix.
    /// </summary>
    public static bool ComponentMatches(string? reported, string upstream)
    {
        if (string.IsNullOrEmpty(reported))
        {
            return false;
        }

        var trimmed = reported.TrimStart('v');
        var bare = upstream.Split('+', '~')[0];
        return trimmed == upstream || trimmed == bare || trimmed.Split('+', '~')[0] == bare;
    }

    /// <summary>
    /// Distribution builds report their full package version as the component's GitCommit, which tells
    /// two revisions of one upstream version apart (containerd 1.6.20~ds1-1+deb12u2 and u3); upstream
    /// builds report a commit hash there, and then the version is all there is to compare.
    /// </summary>
    public static bool BuildMatches(string? reportedVersion, string? reportedBuild, string packageVersion)
    {
        var wanted = PackageVersions.WithoutEpoch(packageVersion);
        var upstream = PackageVersions.Upstream(packageVersion);
        if (reportedBuild is not null && reportedBuild.StartsWith(upstream, StringComparison.Ordinal))
        {
            return reportedBuild == wanted;
        }

        return ComponentMatches(reportedVersion, upstream);
    }

    private async Task<ClusterException> EngineFailedAsync(string message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var journal = await NodeUnitService.JournalAsync(shell, "docker", 20, timeout, cancellationToken).ConfigureAwait(false);
        return new ClusterException(ClusterErrors.EngineNotRunning, $"The Docker Engine on {node} did not come up: {message}\nLast journal lines of docker.service:\n{journal}", node);
    }
}
