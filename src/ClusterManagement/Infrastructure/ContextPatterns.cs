using System.Management.Automation;
using ClusterManagement.Connection;
using ClusterManagement.Engine.Kubernetes;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Context names with PowerShell wildcards, matched as Get-ClusterContext -Name and -Context both match them.</summary>
internal static class ContextPatterns
{
    public static IEnumerable<ClusterContext> Matching(IEnumerable<ClusterContext> contexts, string pattern)
    {
        var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
        return contexts.Where(c => wildcard.IsMatch(c.Name));
    }

    /// <summary>
    /// The contexts that names and wildcards select, in the order given, each once. Exact names stay as given,
    /// so a missing one fails where it is opened, naming it; the kubeconfig is read only for wildcards.
    /// </summary>
    public static List<string> Select(IReadOnlyList<string> patterns, string? kubeConfig)
    {
        if (!patterns.Any(WildcardPattern.ContainsWildcardCharacters))
        {
            return patterns.Distinct(StringComparer.Ordinal).ToList();
        }

        var known = ClusterConnection.ListContexts(kubeConfig, null);
        return patterns
            .SelectMany(p => WildcardPattern.ContainsWildcardCharacters(p) ? Matching(known, p).Select(c => c.Name) : [p])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
