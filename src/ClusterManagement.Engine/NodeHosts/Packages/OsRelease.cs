using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Packages;

internal enum PackageFamily
{
    Apt,
    Dnf,
}

/// <summary>/etc/os-release, as systemd documents it (KEY=value, values optionally quoted, # comments).</summary>
internal sealed record OsRelease(string Id, string[] IdLike, string? VersionId, string? VersionCodename, string PrettyName)
{
    public static OsRelease Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            fields[line[..equals]] = value;
        }

        var id = fields.GetValueOrDefault("ID", "linux").ToLowerInvariant();
        return new OsRelease(
            id,
            fields.GetValueOrDefault("ID_LIKE", string.Empty).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries),
            fields.GetValueOrDefault("VERSION_ID"),
            fields.GetValueOrDefault("VERSION_CODENAME"),
            fields.GetValueOrDefault("PRETTY_NAME", id));
    }

    /// <summary>The package family the module supports for this OS, or a clear refusal before anything changes.</summary>
    public PackageFamily Family(string node)
    {
        var names = IdLike.Prepend(Id).ToArray();
        if (names.Any(n => n is "debian" or "ubuntu"))
        {
            return PackageFamily.Apt;
        }

        if (names.Any(n => n is "rhel" or "fedora" or "centos" or "rocky" or "almalinux"))
        {
            return PackageFamily.Dnf;
        }

        throw new ClusterException(ClusterErrors.OperatingSystemUnsupported, $"{node} runs {PrettyName} (ID={Id}); supported are the Debian/Ubuntu (apt) and RHEL (dnf) families.",
            node);
    }
}
