using System.Management.Automation;

namespace ClusterManagement.Storage;

/// <summary>Splits -Name values into exact names (read one by one, so a typo is an error) and wildcard patterns.</summary>
internal sealed class NameFilter
{
    public NameFilter(string[]? names)
    {
        Exact = names?.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList() ?? [];
        Patterns = names?.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList() ?? [];
        ListNeeded = names is null || Patterns.Count > 0;
    }

    public IReadOnlyList<string> Exact { get; }
    public IReadOnlyList<WildcardPattern> Patterns { get; }

    /// <summary>False when only exact names were given: nothing needs listing.</summary>
    public bool ListNeeded { get; }

    public bool MatchesListed(string name) => Patterns.Count == 0 || Patterns.Any(p => p.IsMatch(name));
}
