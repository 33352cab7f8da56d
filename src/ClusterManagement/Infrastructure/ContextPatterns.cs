using System.Management.Automation;
using ClusterManagement.Connection;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Context names with PowerShell wildcards, matched as Get-ClusterContext -Name and -Context both match them.</summary>
internal static class ContextPatterns
{
    public static IEnumerable<ClusterContext> Matching(IEnumerable<ClusterContext> contexts, string pattern)
    {
        var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
        return contexts.Where(c => wildcard.IsMatch(c.Name));
    }
}
