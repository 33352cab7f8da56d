using System.Management.Automation;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Splits -Name values into exact names (read one by one, so a typo is an error) and wildcard patterns.</summary>
internal sealed class NameFilter
{
    private readonly bool all;

    public NameFilter(string[]? names)
    {
        all = names is null;
        Exact = names?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList() ?? [];
        Patterns = names?.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList() ?? [];
        ListNeeded = names is null || Patterns.Count > 0;
    }

    public IReadOnlyList<string> Exact { get; }
    public IReadOnlyList<WildcardPattern> Patterns { get; }

    /// <summary>False when only exact names were given: nothing needs listing.</summary>
    public bool ListNeeded { get; }

    /// <summary>For a listing that follows the direct reads of the exact names: only the patterns still select.</summary>
    public bool MatchesListed(string name) => Patterns.Count == 0 || Patterns.Any(p => p.IsMatch(name));

    /// <summary>For a listing that replaces the direct reads (no per-name GET possible): exact names select too.</summary>
    public bool Matches(string name) =>
        all || Exact.Contains(name, StringComparer.OrdinalIgnoreCase) || Patterns.Any(p => p.IsMatch(name));
}
