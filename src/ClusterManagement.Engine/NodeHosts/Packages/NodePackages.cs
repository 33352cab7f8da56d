using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Packages;

/// <summary>
/// The node's package manager (apt or dnf): available and installed versions, pinned installs and
/// holds. Waits for a package lock another run holds, but only for <see cref="LockWait"/>.
/// </summary>
internal sealed class NodePackages(NodeShell shell, string node, PackageFamily family, IOperationLog log)
{
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromMinutes(2);

    private static readonly string[] LockMessages = ["Could not get lock", "Unable to acquire the dpkg frontend lock", "Unable to lock the administration directory"];

    public TimeSpan LockWait { get; init; } = DefaultLockWait;

    public PackageFamily Family => family;

    /// <summary>The package manager of the host behind <paramref name="shell"/>, by its /etc/os-release; an unsupported OS is refused.</summary>
    public static async Task<NodePackages> OnHostAsync(NodeShell shell, string node, IOperationLog log, TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? lockWait = null)
    {
        var release = OsRelease.Parse((await shell.RunAsync("cat /etc/os-release", timeout, cancellationToken).ConfigureAwait(false)).Output);
        return new NodePackages(shell, node, release.Family(node), log) { LockWait = lockWait ?? DefaultLockWait };
    }

    public async Task<IReadOnlyList<string>> AvailableAsync(string package, TimeSpan timeout, CancellationToken cancellationToken)
    {
        PackageVersions.RequirePackageName(package);
        var command = family == PackageFamily.Apt
            ? $"apt-cache madison {NodeShell.Quote(package)}"
            : $"dnf list --showduplicates -q {NodeShell.Quote(package)} 2>/dev/null";
        var result = await shell.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        return family == PackageFamily.Apt ? PackageVersions.ParseMadison(package, result.Output) : PackageVersions.ParseDnfList(package, result.Output);
    }

    /// <summary>Installed versions by package; packages that are not installed are absent.</summary>
    public async Task<IReadOnlyDictionary<string, string>> InstalledAsync(IEnumerable<string> packages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var names = string.Join(' ', packages.Select(p => NodeShell.Quote(PackageVersions.RequirePackageName(p))));
        var command = family == PackageFamily.Apt
            ? $"dpkg-query -W -f '${{Package}}\\t${{Version}}\\t${{db:Status-Status}}\\n' {names} 2>/dev/null"
            : $"rpm -q --qf '%{{NAME}}\\t%{{VERSION}}-%{{RELEASE}}\\tinstalled\\n' {names} 2>/dev/null";
        var result = await shell.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        var installed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length == 3 && parts[2] == "installed")
            {
                installed[parts[0]] = parts[1];
            }
        }

        return installed;
    }

    /// <summary>The packages held at their version: apt-mark showhold, or dnf's version locks (by name).</summary>
    public async Task<IReadOnlyList<string>> HeldAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = family == PackageFamily.Apt ? "apt-mark showhold" : "dnf versionlock list -q 2>/dev/null";
        var result = await shell.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => family == PackageFamily.Apt ? line : PackageVersions.LockedName(line))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public async Task RefreshAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await shell.SudoCheckedAsync(RefreshScript(family, LockWait), timeout + LockWait, "Refreshing the package lists", cancellationToken).ConfigureAwait(false);

    internal static string RefreshScript(PackageFamily family, TimeSpan lockWait)
    {
        if (family != PackageFamily.Apt)
        {
            return "dnf makecache -q";
        }

        // apt-get update takes the lists lock, which DPkg::Lock::Timeout does not cover.
        return RetriedWhileLocked("apt-get update -q", lockWait);
    }

    /// <summary>
    /// Runs an apt command again while another run holds a lock DPkg::Lock::Timeout does not cover (the lists,
    /// the archives), bounded by <paramref name="lockWait"/>. Its log goes to a file of its own (mktemp): a
    /// fixed name in /tmp is one any local user can plant a symlink at for root to write through. The bound
    /// is a deadline, not a number of attempts: an attempt may itself wait under DPkg::Lock::Timeout, and
    /// counted attempts then outlasted the node's budget, ending as a bare timeout instead of naming the holder.
    /// </summary>
    private static string RetriedWhileLocked(string command, TimeSpan lockWait)
    {
        var seconds = Math.Max(1, (int)lockWait.TotalSeconds);
        return $"log=$(mktemp) || exit 1; trap 'rm -f \"$log\"' EXIT; end=$(( $(date +%s) + {seconds} )); while :; do {command} >\"$log\" 2>&1 && exit 0; grep -q 'Could not get lock' \"$log\" || break; [ \"$(date +%s)\" -lt \"$end\" ] || break; sleep 3; done; cat \"$log\" >&2; exit 1";
    }

    /// <summary>Installs exactly these versions (downgrading when needed) and holds the packages there.</summary>
    public async Task InstallPinnedAsync(IReadOnlyDictionary<string, string> versions, IEnumerable<string> hold, TimeSpan timeout, CancellationToken cancellationToken)
    {
        log.Verbose($"Installing {string.Join(", ", versions.Select(v => $"{v.Key}={v.Value}"))} on {node} and holding them.");
        await InstallAsync(InstallScript(family, versions, hold, LockWait, node), string.Join(' ', versions.Select(v => $"{v.Key}={v.Value}")), null, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches exactly these versions and what they depend on into the package cache, installing
    /// nothing, so that a later <see cref="InstallPinnedAsync"/> has nothing left to download.
    /// </summary>
    public async Task DownloadPinnedAsync(IReadOnlyDictionary<string, string> versions, TimeSpan timeout, CancellationToken cancellationToken)
    {
        log.Verbose($"Downloading {string.Join(", ", versions.Select(v => $"{v.Key}={v.Value}"))} on {node}; nothing is installed yet.");
        await InstallAsync(DownloadScript(family, versions, LockWait, node), string.Join(' ', versions.Select(v => $"{v.Key}={v.Value}")), null, timeout, cancellationToken, downloadOnly: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Installs a package file from this machine: its bytes go through stdin into a private folder on the
    /// node, apt installs it (pulling its dependencies from the node's sources) and holds it, and the copy goes.
    /// </summary>
    public async Task InstallFileAsync(string localPath, string package, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (family != PackageFamily.Apt)
        {
            throw new ClusterException(ClusterErrors.PackageInstallFailed, $"{node} installs rpm packages; {Path.GetFileName(localPath)} is a .deb.", node);
        }

        var script = "set -e; dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT; base64 -d > \"$dir/package.deb\"; " +
                     AptInstall(LockWait, "\"$dir/package.deb\"") + $" && apt-mark hold {NodeShell.Quote(PackageVersions.RequirePackageName(package))} >/dev/null";
        log.Verbose($"Copying {localPath} to {node} and installing it.");
        var content = Convert.ToBase64String(await File.ReadAllBytesAsync(localPath, cancellationToken).ConfigureAwait(false), Base64FormattingOptions.InsertLineBreaks);
        await InstallAsync(script, Path.GetFileName(localPath), content, timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task InstallAsync(string script, string wanted, string? standardInput, TimeSpan timeout, CancellationToken cancellationToken, bool downloadOnly = false)
    {
        CommandResult result;
        try
        {
            result = await shell.SudoAsync(script, timeout + LockWait, cancellationToken, standardInput).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Error == ClusterErrors.NodeConnectionLost && downloadOnly)
        {
            throw new ClusterException(e.Error, $"The SSH connection to {node} was lost while downloading {wanted}; nothing was installed. ({e.InnerException?.Message})", node, e);
        }
        catch (ClusterException e) when (e.Error == ClusterErrors.NodeConnectionLost)
        {
            throw new ClusterException(e.Error,
                $"The SSH connection to {node} was lost while installing {wanted}: the install may be half-done on the node; the next run completes an interrupted dpkg run (dpkg --configure -a) before installing. ({e.InnerException?.Message})",
                node, e);
        }

        if (!result.Succeeded)
        {
            var text = result.Error.Length > 0 ? result.Error : result.Output;
            // apt waiting under DPkg::Lock::Timeout says "Waiting for cache lock: Could not get lock" on stdout and
            // gives up with "Unable to acquire the dpkg frontend lock" on stderr; without a wait only the former, on stderr.
            if (LockMessages.Any(m => result.Error.Contains(m, StringComparison.Ordinal) || result.Output.Contains(m, StringComparison.Ordinal)))
            {
                var holders = await LockHoldersAsync(timeout, cancellationToken).ConfigureAwait(false);
                throw new ClusterException(
                    ClusterErrors.PackageLockBusy,
                    $"The package lock on {node} stayed held by another run for {LockWait}; nothing was installed. Held by: {holders}\n{NodeShell.Tail(text, 3)}",
                    node);
            }

            throw downloadOnly
                ? new ClusterException(ClusterErrors.PackageDownloadFailed, $"Downloading {wanted} failed on {node}; nothing was installed: {NodeShell.Tail(text)}", node)
                : new ClusterException(ClusterErrors.PackageInstallFailed, $"Installing {wanted} failed on {node}: {NodeShell.Tail(text)}", node);
        }
    }

    /// <summary>
    /// apt and dpkg lock their lock files with fcntl, which /proc/locks lists by inode (waiters marked "->"): the holder's pid
    /// and command line come from there, so the error names the run to wait for or end.
    /// </summary>
    internal const string LockHoldersScript = """
        for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/cache/apt/archives/lock /var/lib/apt/lists/lock; do
          [ -e "$f" ] || continue
          ino=$(stat -c %i "$f")
          for pid in $(awk -v ino="$ino" '$2 != "->" { for (i = 5; i < NF; i++) if ($(i + 1) ~ (":" ino "$")) print $i }' /proc/locks | sort -u); do
            printf '%s: pid %s (%s)\n' "$f" "$pid" "$(tr '\0' ' ' < /proc/$pid/cmdline | sed 's/ $//')"
          done
        done
        """;

    private async Task<string> LockHoldersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var holders = (await shell.SudoAsync(LockHoldersScript, timeout, cancellationToken).ConfigureAwait(false)).Output.Trim();
        return holders.Length > 0 ? holders : "(no holder left: the lock was released as the wait ended)";
    }

    /// <summary>The install-and-hold script.</summary>
    internal static string InstallScript(PackageFamily family, IReadOnlyDictionary<string, string> versions, IEnumerable<string> hold, TimeSpan lockWait, string node)
    {
        var specs = Specs(family, versions, node);
        var held = string.Join(' ', hold.Select(p => NodeShell.Quote(PackageVersions.RequirePackageName(p))));
        return family == PackageFamily.Apt
            ? AptInstall(lockWait, specs) + $" && apt-mark hold {held} >/dev/null"
            : $"dnf versionlock delete {held} >/dev/null 2>&1; dnf install -y -q --allowerasing {specs} && dnf versionlock add {held} >/dev/null";
    }

    /// <summary>
    /// The download-only form of <see cref="InstallScript"/>: the same solver run, so it fetches what the
    /// install will need, but it changes neither installed packages nor holds (dnf's version locks are
    /// bypassed for the run, not lifted). apt downloads without taking dpkg's lock, so a dpkg left
    /// half-configured is left for the install to finish; it takes the archives' lock, which another apt run
    /// holds to its end, so a busy lock is waited for as for <see cref="RefreshAsync"/>.
    /// </summary>
    internal static string DownloadScript(PackageFamily family, IReadOnlyDictionary<string, string> versions, TimeSpan lockWait, string node)
    {
        var specs = Specs(family, versions, node);
        return family == PackageFamily.Apt
            ? "export DEBIAN_FRONTEND=noninteractive; " + RetriedWhileLocked($"{AptGetInstall(lockWait)} --download-only {specs}", lockWait)
            : $"dnf install -y -q --downloadonly --allowerasing --disableplugin=versionlock {specs}";
    }

    /// <summary>Versions come from the node's package lists: they are checked like names, so neither is read as an option or breaks out of its quotes.</summary>
    private static string Specs(PackageFamily family, IReadOnlyDictionary<string, string> versions, string node)
    {
        foreach (var (package, version) in versions)
        {
            PackageVersions.RequirePackageName(package);
            PackageVersions.RequireVersion(version, package, node);
        }

        return string.Join(' ', versions.Select(v => NodeShell.Quote(family == PackageFamily.Apt ? $"{v.Key}={v.Value}" : $"{v.Key}-{PackageVersions.WithoutEpoch(v.Value)}")));
    }

    private static string AptInstall(TimeSpan lockWait, string specs) =>
        // An earlier run cut off mid-install (a dropped connection) leaves dpkg half-configured; finish that first.
        "export DEBIAN_FRONTEND=noninteractive; dpkg --configure -a >/dev/null 2>&1 || true; " +
        $"{AptGetInstall(lockWait)} -o Dpkg::Options::=--force-confold {specs}";

    private static string AptGetInstall(TimeSpan lockWait) =>
        $"apt-get install -y -q --no-install-recommends --allow-downgrades --allow-change-held-packages -o DPkg::Lock::Timeout={(int)lockWait.TotalSeconds}";
}
