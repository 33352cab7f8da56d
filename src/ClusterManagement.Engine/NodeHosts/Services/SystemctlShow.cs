using System.Globalization;

using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Services;

/// <summary>Parses `systemctl show --timestamp=unix -p ...` output: one KEY=VALUE block per unit, blank-line separated.</summary>
internal static class SystemctlShow
{
    public const string Properties = "Id,Description,LoadState,ActiveState,SubState,UnitFileState,MainPID,StateChangeTimestamp";

    public static IReadOnlyList<NodeUnit> Parse(string node, string output)
    {
        var units = new List<NodeUnit>();
        foreach (var block in output.Replace("\r", string.Empty, StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    fields[line[..equals]] = line[(equals + 1)..];
                }
            }

            if (!fields.TryGetValue("Id", out var id) || id.Length == 0)
            {
                continue;
            }

            units.Add(new NodeUnit
            {
                Node = node,
                Name = id.EndsWith(".service", StringComparison.Ordinal) ? id[..^".service".Length] : id,
                Description = Value(fields, "Description"),
                LoadState = Value(fields, "LoadState") ?? "unknown",
                ActiveState = Value(fields, "ActiveState") ?? "unknown",
                SubState = Value(fields, "SubState") ?? "unknown",
                Enabled = Value(fields, "UnitFileState"),
                MainPid = int.TryParse(Value(fields, "MainPID"), CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null,
                Since = Timestamp(Value(fields, "StateChangeTimestamp")),
            });
        }

        return units;
    }

    /// <summary>"@1732490000" (--timestamp=unix, systemd 251+) or "Tue 2026-11-24 23:10:02 UTC" from older systemd.</summary>
    public static DateTime? Timestamp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value == "n/a")
        {
            return null;
        }

        if (value.StartsWith('@') && long.TryParse(value.AsSpan(1), CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }

        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 3 && parts[^1] == "UTC"
            && DateTime.TryParseExact($"{parts[1]} {parts[2]}", "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            return utc;
        }

        return null;
    }

    private static string? Value(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
