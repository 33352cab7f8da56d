using System.Text.RegularExpressions;

namespace ClusterManagement.Emulator.Discovery;

/// <summary>A released Kubernetes version as the API server reports it in /version (gitVersion v1.32.4).</summary>
public static partial class ServerVersion
{
    public const string Default = "v1.32.4";

    public static bool IsValid(string? gitVersion) => gitVersion is not null && Pattern().IsMatch(gitVersion);

    /// <summary>The /version fields major and minor ("1", "32").</summary>
    public static (string Major, string Minor) Parts(string gitVersion)
    {
        var match = Pattern().Match(gitVersion);
        return (match.Groups["major"].Value, match.Groups["minor"].Value);
    }

    [GeneratedRegex(@"^v(?<major>[0-9]+)\.(?<minor>[0-9]+)\.[0-9]+$")]
    private static partial Regex Pattern();
}
