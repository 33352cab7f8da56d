using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Packages;

/// <summary>
/// Version lists from the package manager and the prefix matching users know from
/// `apt-cache madison` recipes: "20.10" picks the newest 20.10.x, "27.5.1" the newest build of 27.5.1,
/// and a full package version picks exactly that one.
/// </summary>
internal static partial class PackageVersions
{
    public const string Latest = "latest";

    /// <summary>A package name as dpkg and rpm allow it (letters, digits, "+-._", starting with a letter or digit).</summary>
    public static string RequirePackageName(string package) => PackageName().IsMatch(package)
        ? package
        : throw new ClusterException(ClusterErrors.PackageNameInvalid, $"'{NodeShell.Printable(package)}' is not a package name.", package);

    /// <summary>A package version as dpkg and rpm write them (letters, digits, ".+~:^_-", starting with a letter or digit).</summary>
    public static string RequireVersion(string version, string package, string node) => Version().IsMatch(version)
        ? version
        : throw new ClusterException(ClusterErrors.PackageVersionInvalid, $"'{NodeShell.Printable(version)}' is not a version of {package} (on {node}): a version has letters, digits and \".+~:^_-\" only.", version);

    /// <summary>What a -*Version parameter takes: "latest", a prefix or a full version; checked before any host is contacted.</summary>
    public static string RequireVersionRequest(string requested, string parameter) =>
        string.Equals(requested, Latest, StringComparison.OrdinalIgnoreCase) || Version().IsMatch(requested)
            ? requested
            : throw new ClusterException(ClusterErrors.PackageVersionInvalid, $"-{parameter}: '{NodeShell.Printable(requested)}' is neither \"latest\" nor a version (letters, digits and \".+~:^_-\", such as 27.5 or 5:27.5.1-1~debian.12~bookworm).", requested);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+._-]*\z")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+~:^_-]*\z")]
    private static partial Regex Version();

    /// <summary>`apt-cache madison PKG` lines: " pkg | version | source"; newest first, duplicates (several sources) dropped.</summary>
    public static IReadOnlyList<string> ParseMadison(string package, string output)
    {
        var versions = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            if (parts.Length >= 3 && parts[0] == package && parts[1].Length > 0 && !versions.Contains(parts[1]))
            {
                versions.Add(parts[1]);
            }
        }

        return versions;
    }

    /// <summary>`dnf list --showduplicates PKG` lines: "pkg.arch  version  repo"; dnf lists oldest first, so the result is reversed.</summary>
    public static IReadOnlyList<string> ParseDnfList(string package, string output)
    {
        var versions = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[0].StartsWith(package + ".", StringComparison.Ordinal) && !versions.Contains(parts[1]))
            {
                versions.Add(parts[1]);
            }
        }

        versions.Reverse();
        return versions;
    }

    /// <summary>The package a dnf version lock names ("kubelet-0:1.32.4-150500.1.1.*" -> "kubelet"): the part before the "-EPOCH:" of its version.</summary>
    public static string LockedName(string entry) => LockedVersion().Match(entry) is { Success: true } m ? entry[..m.Index] : entry;

    [GeneratedRegex(@"-\d+:")]
    private static partial Regex LockedVersion();

    /// <summary>The version without its epoch ("5:27.5.1-1~debian.12" -> "27.5.1-1~debian.12").</summary>
    public static string WithoutEpoch(string version)
    {
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && version[..colon].All(char.IsAsciiDigit) ? version[(colon + 1)..] : version;
    }

    /// <summary>The upstream part: no epoch, no Debian/RPM revision ("1.6.20~ds1-1+deb12u2" -> "1.6.20~ds1").</summary>
    public static string Upstream(string version)
    {
        var plain = WithoutEpoch(version);
        var dash = plain.LastIndexOf('-');
        return dash > 0 ? plain[..dash] : plain;
    }

    /// <summary>True when <paramref name="requested"/> is a whole-component prefix of <paramref name="version"/> (epoch ignored).</summary>
    public static bool Matches(string requested, string version)
    {
        if (requested == version)
        {
            return true;
        }

        var candidate = WithoutEpoch(version);
        var wanted = WithoutEpoch(requested);
        return candidate.StartsWith(wanted, StringComparison.Ordinal)
            && (candidate.Length == wanted.Length || !char.IsAsciiDigit(candidate[wanted.Length]) || !char.IsAsciiDigit(wanted[^1]));
    }

    /// <summary>Picks the newest available version matching <paramref name="requested"/>; the error lists what is available.</summary>
    public static string Resolve(string package, string requested, IReadOnlyList<string> available, string node)
    {
        if (available.Count == 0)
        {
            throw new ClusterException(ClusterErrors.PackageNotAvailable, $"No version of {package} is available on {node}: its package sources do not offer it.",
                node);
        }

        // The chosen version goes into install commands later: a node that lists a version no package
        // manager writes is refused now, while nothing has changed.
        if (string.Equals(requested, Latest, StringComparison.OrdinalIgnoreCase))
        {
            return RequireVersion(available[0], package, node);
        }

        return available.FirstOrDefault(v => Matches(requested, v)) is { } chosen
            ? RequireVersion(chosen, package, node)
            : throw new ClusterException(ClusterErrors.PackageVersionNotAvailable, $"{package} {requested} is not available on {node}. Available: {string.Join(", ", available)}.",
                node);
    }
}
