using System.Globalization;
using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Packages;
using ClusterManagement.Engine.NodeHosts.Ssh;

namespace ClusterManagement.Engine.NodeHosts.Rollout;

/// <summary>A Kubernetes release as kubeadm and the API server write it (v1.32.4); packages carry it as their upstream part (1.32.4-1.1).</summary>
internal readonly partial record struct KubernetesVersion(int Major, int Minor, int Patch) : IComparable<KubernetesVersion>
{
    public override string ToString() => $"v{Major}.{Minor}.{Patch}";

    /// <summary>"1.32.4", the form a package version starts with and kubeadm's own prefix matching takes.</summary>
    public string Plain => $"{Major}.{Minor}.{Patch}";

    public string MinorText => $"{Major}.{Minor}";

    /// <summary>How many minors this is above <paramref name="other"/> (negative when below); another major counts as far apart.</summary>
    public int MinorsAbove(KubernetesVersion other) => Major == other.Major ? Minor - other.Minor : (Major - other.Major) * 1000;

    public int CompareTo(KubernetesVersion other) => (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public static bool operator <(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(KubernetesVersion a, KubernetesVersion b) => a.CompareTo(b) >= 0;

    /// <summary>What the API server, a Node and kubeadm report: "v1.32.4", also with a pre-release or build suffix (v1.32.4-eks-1). Null when it is none.</summary>
    public static KubernetesVersion? ParseReported(string? text) =>
        text is not null && Reported().Match(text) is { Success: true } m ? From(m) : null;

    /// <summary>The Kubernetes version a package version carries: "1.32.4-1.1" is v1.32.4; null for anything else.</summary>
    public static KubernetesVersion? FromPackage(string packageVersion) => ParseReported(PackageVersions.Upstream(packageVersion));

    private static KubernetesVersion From(Match m) => new(
        int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture),
        int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture),
        int.Parse(m.Groups["patch"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^v?(?<major>\d{1,3})\.(?<minor>\d{1,3})\.(?<patch>\d{1,4})(?:[-+][0-9A-Za-z.-]*)?\z")]
    private static partial Regex Reported();

    /// <summary>What -KubernetesVersion takes: "latest", a minor (1.32, v1.32) or a release (1.32.4, v1.32.4); nothing else reaches a shell.</summary>
    [GeneratedRegex(@"^v?(?<major>\d{1,3})\.(?<minor>\d{1,3})(?:\.(?<patch>\d{1,4}))?\z")]
    private static partial Regex Request();

    /// <summary>A -KubernetesVersion value: null Minor for "latest", null Patch for a whole minor.</summary>
    internal readonly record struct VersionRequest(int? Major, int? Minor, int? Patch)
    {
        public bool IsLatest => Minor is null;

        public bool Matches(KubernetesVersion v) => IsLatest || (v.Major == Major && v.Minor == Minor && (Patch is null || v.Patch == Patch));

        public override string ToString() => IsLatest ? PackageVersions.Latest : Patch is null ? $"{Major}.{Minor}" : $"{Major}.{Minor}.{Patch}";
    }

    public static VersionRequest ParseRequest(string requested, string parameter = "KubernetesVersion")
    {
        if (string.Equals(requested, PackageVersions.Latest, StringComparison.OrdinalIgnoreCase))
        {
            return new VersionRequest(null, null, null);
        }

        var m = Request().Match(requested);
        if (!m.Success)
        {
            throw new ClusterException(ClusterErrors.KubernetesVersionInvalid,
                $"-{parameter}: '{NodeShell.Printable(requested)}' is not a Kubernetes version: give \"latest\", a minor such as 1.32, or a release such as 1.32.4 (a leading v is allowed).", requested);
        }

        static int Number(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);
        return new VersionRequest(Number(m.Groups["major"]), Number(m.Groups["minor"]), m.Groups["patch"].Success ? Number(m.Groups["patch"]) : null);
    }
}
