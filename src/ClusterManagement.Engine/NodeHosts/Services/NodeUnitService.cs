using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;

namespace ClusterManagement.NodeHosts.Services;

public enum UnitAction
{
    Start,
    Stop,
    Restart,
}

/// <summary>systemd units on a node host, over its SSH connection.</summary>
public static class NodeUnitService
{
    public static readonly string[] DefaultUnits = ["kubelet", "docker", "containerd"];

    /// <summary>Units whose state the Node's Ready condition follows.</summary>
    public static bool AffectsReadiness(string unit) => Normalize(unit) is "kubelet";

    public static async Task<IReadOnlyList<NodeUnit>> GetAsync(NodeShell shell, string node, IReadOnlyList<string> units, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var names = string.Join(' ', units.Select(u => NodeShell.Quote(UnitFile(u))));
        var result = await shell.RunAsync($"systemctl show --timestamp=unix -p {SystemctlShow.Properties} -- {names}", timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterException(ClusterErrorKind.OperationFailed, "SystemctlFailed", $"systemctl show failed on {shell.Target}: {NodeShell.Tail(result.Error)}", node);
        }

        return SystemctlShow.Parse(node, result.Output);
    }

    public static async Task<NodeUnit> ChangeAsync(NodeShell shell, string node, string unit, UnitAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var verb = action.ToString().ToLowerInvariant();
        var file = UnitFile(unit);
        var current = (await GetAsync(shell, node, [unit], timeout, cancellationToken).ConfigureAwait(false)).Single();
        if (current.LoadState == "not-found")
        {
            throw new ClusterException(ClusterErrorKind.NotFound, "NodeServiceNotFound", $"There is no systemd unit {file} on {node}.", node);
        }

        // reset-failed first: units such as docker.service refuse rapid restarts once their start limit is hit.
        var result = await shell.SudoAsync($"systemctl reset-failed {NodeShell.Quote(file)} 2>/dev/null; systemctl {verb} {NodeShell.Quote(file)}", timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var journal = await JournalAsync(shell, unit, 15, timeout, cancellationToken).ConfigureAwait(false);
            throw new ClusterException(
                ClusterErrorKind.OperationFailed,
                "NodeServiceFailed",
                $"systemctl {verb} {file} failed on {node}: {NodeShell.Tail(result.Error)}\nLast journal lines of {file}:\n{journal}",
                node);
        }

        return (await GetAsync(shell, node, [unit], timeout, cancellationToken).ConfigureAwait(false)).Single();
    }

    /// <summary>The unit's last journal lines, for error messages (journalctl needs root or the adm group).</summary>
    public static async Task<string> JournalAsync(NodeShell shell, string unit, int lines, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await shell.SudoAsync($"journalctl --no-pager -o short-iso -n {lines} -u {NodeShell.Quote(UnitFile(unit))}", timeout, cancellationToken).ConfigureAwait(false);
        return result.Output.TrimEnd();
    }

    public static string Normalize(string unit) => unit.EndsWith(".service", StringComparison.Ordinal) ? unit[..^".service".Length] : unit;

    private static string UnitFile(string unit) => unit.Contains('.', StringComparison.Ordinal) ? unit : unit + ".service";
}
