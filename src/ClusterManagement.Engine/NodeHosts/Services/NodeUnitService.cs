using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Services;

internal enum UnitAction
{
    Start,
    Stop,
    Restart,
}

/// <summary>systemd units on a node host, over its SSH connection.</summary>
internal static partial class NodeUnitService
{
    public static readonly string[] DefaultUnits = ["kubelet", "docker", "containerd"];

    /// <summary>Units whose state the Node's Ready condition follows.</summary>
    public static bool AffectsReadiness(string unit) => Normalize(unit) is "kubelet";

    public static async Task<IReadOnlyList<NodeUnit>> GetAsync(NodeShell shell, string node, IReadOnlyList<string> units, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await shell.RunAsync(ShowCommand(units), timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ClusterException(ClusterErrors.SystemctlFailed, $"systemctl show failed on {shell.Target}: {NodeShell.Tail(result.Error)}", node);
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
            throw new ClusterException(ClusterErrors.NodeServiceNotFound, $"There is no systemd unit {file} on {node}.", node);
        }

        // reset-failed first: units such as docker.service refuse rapid restarts once their start limit is hit.
        var result = await shell.SudoAsync(ChangeScript(unit, action), timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var journal = await JournalAsync(shell, unit, 15, timeout, cancellationToken).ConfigureAwait(false);
            throw new ClusterException(ClusterErrors.NodeServiceFailed, $"systemctl {verb} {file} failed on {node}: {NodeShell.Tail(result.Error)}\nLast journal lines of {file}:\n{journal}",
                node);
        }

        return (await GetAsync(shell, node, [unit], timeout, cancellationToken).ConfigureAwait(false)).Single();
    }

    internal static string ChangeScript(string unit, UnitAction action)
    {
        var file = NodeShell.Quote(UnitFile(unit));
        return $"systemctl reset-failed -- {file} 2>/dev/null; systemctl {action.ToString().ToLowerInvariant()} -- {file}";
    }

    /// <summary>The unit's last journal lines, for error messages (journalctl needs root or the adm group).</summary>
    public static async Task<string> JournalAsync(NodeShell shell, string unit, int lines, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await shell.SudoAsync(JournalScript(unit, lines), timeout, cancellationToken).ConfigureAwait(false);
        return result.Output.TrimEnd();
    }

    internal static string JournalScript(string unit, int lines) => $"journalctl --no-pager -o short-iso -n {lines} -u {NodeShell.Quote(UnitFile(unit))}";

    internal static string ShowCommand(IEnumerable<string> units) =>
        $"systemctl show --timestamp=unix -p {SystemctlShow.Properties} -- {string.Join(' ', units.Select(u => NodeShell.Quote(UnitFile(u))))}";

    public static string Normalize(string unit) => unit.EndsWith(".service", StringComparison.Ordinal) ? unit[..^".service".Length] : unit;

    /// <summary>Refuses the first name that is not a unit name, before any node is contacted.</summary>
    public static void RequireValidNames(IEnumerable<string> units)
    {
        foreach (var unit in units)
        {
            _ = UnitFile(unit);
        }
    }

    /// <summary>
    /// The unit's file name (".service" when no type is given), checked against systemd's own rule
    /// (unit_name_is_valid: at most 255 characters of letters, digits and ":-_.\\@", then a unit type),
    /// so that no other text reaches systemctl (names go after "--": "-.mount" is a valid unit).
    /// </summary>
    public static string UnitFile(string unit)
    {
        var file = unit.Contains('.', StringComparison.Ordinal) ? unit : unit + ".service";
        if (file.Length > 255 || !UnitName().IsMatch(file))
        {
            throw new ClusterException(ClusterErrors.ServiceNameInvalid, $"'{NodeShell.Printable(unit)}' is not a systemd unit name: letters, digits and ':-_.\\@' only, at most 255 characters with the unit type (such as kubelet or docker.service).",
                unit);
        }

        return file;
    }

    [GeneratedRegex(@"^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)\z")]
    private static partial Regex UnitName();
}
