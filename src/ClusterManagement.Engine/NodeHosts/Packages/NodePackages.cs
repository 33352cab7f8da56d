using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;

namespace ClusterManagement.NodeHosts.Packages;

/// <summary>
/// The node's package manager (apt or dnf): available and installed versions, pinned installs and
/// holds. Waits for a package lock another run holds, but only for <see cref="LockWait"/>.
/// </summary>
public sealed class NodePackages(NodeShell shell, string node, PackageFamily family, IOperationLog log)
{
    public TimeSpan LockWait { get; init; } = TimeSpan.FromMinutes(2);

    public PackageFamily Family => family;

    public async Task<IReadOnlyList<string>> AvailableAsync(string package, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var command = family == PackageFamily.Apt
            ? $"apt-cache madison {NodeShell.Quote(package)}"
            : $"dnf list --showduplicates -q {NodeShell.Quote(package)} 2>/dev/null";
        var result = await shell.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
        return family == PackageFamily.Apt ? PackageVersions.ParseMadison(package, result.Output) : PackageVersions.ParseDnfList(package, result.Output);
    }

    /// <summary>Installed versions by package; packages that are not installed are absent.</summary>
    public async Task<IReadOnlyDictionary<string, string>> InstalledAsync(IEnumerable<string> packages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var names = string.Join(' ', packages.Select(NodeShell.Quote));
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

    public async Task RefreshAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // apt-get update takes the lists lock, which DPkg::Lock::Timeout does not cover: retry, bounded.
        var attempts = Math.Max(1, (int)(LockWait.TotalSeconds / 3));
        var script = family == PackageFamily.Apt
            ? $"for i in $(seq {attempts}); do apt-get update -q >/tmp/cm-apt-update.log 2>&1 && exit 0; grep -q 'Could not get lock' /tmp/cm-apt-update.log || break; sleep 3; done; cat /tmp/cm-apt-update.log >&2; exit 1"
            : "dnf makecache -q";
        await shell.SudoCheckedAsync(script, timeout + LockWait, "Refreshing the package lists", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Installs exactly these versions (downgrading when needed) and holds the packages there.</summary>
    public async Task InstallPinnedAsync(IReadOnlyDictionary<string, string> versions, IEnumerable<string> hold, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var held = string.Join(' ', hold.Select(NodeShell.Quote));
        string script;
        if (family == PackageFamily.Apt)
        {
            var specs = string.Join(' ', versions.Select(v => NodeShell.Quote($"{v.Key}={v.Value}")));
            // An earlier run cut off mid-install (a dropped connection) leaves dpkg half-configured; finish that first.
            script = "export DEBIAN_FRONTEND=noninteractive; dpkg --configure -a >/dev/null 2>&1 || true; " +
                     $"apt-get install -y -q --no-install-recommends --allow-downgrades --allow-change-held-packages -o DPkg::Lock::Timeout={(int)LockWait.TotalSeconds} " +
                     $"-o Dpkg::Options::=--force-confold {specs} && apt-mark hold {held} >/dev/null";
        }
        else
        {
            var specs = string.Join(' ', versions.Select(v => NodeShell.Quote($"{v.Key}-{PackageVersions.WithoutEpoch(v.Value)}")));
            script = $"dnf versionlock delete {held} >/dev/null 2>&1; dnf install -y -q --allowerasing {specs} && dnf versionlock add {held} >/dev/null";
        }

        log.Verbose($"Installing {string.Join(", ", versions.Select(v => $"{v.Key}={v.Value}"))} on {node} and holding them.");
        var result = await shell.SudoAsync(script, timeout + LockWait, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var text = result.Error.Length > 0 ? result.Error : result.Output;
            var locked = text.Contains("Could not get lock", StringComparison.Ordinal);
            throw new ClusterException(
                locked ? ClusterErrorKind.Timeout : ClusterErrorKind.OperationFailed,
                locked ? "PackageLockBusy" : "PackageInstallFailed",
                locked
                    ? $"The package lock on {node} stayed held by another run for {LockWait}: {NodeShell.Tail(text, 3)}"
                    : $"Installing {string.Join(' ', versions.Select(v => $"{v.Key}={v.Value}"))} failed on {node}: {NodeShell.Tail(text)}",
                node);
        }
    }
}
