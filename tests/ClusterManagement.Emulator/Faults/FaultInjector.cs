using System.Text.RegularExpressions;

namespace ClusterManagement.Emulator.Faults;

/// <summary>The active fault rules; the first matching rule with uses left applies to a request.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _rules = [];
    private int _nextId;

    /// <summary>Adds a rule and returns its id (for <see cref="Remove"/> and the control API).</summary>
    public string Add(FaultRule rule)
    {
        lock (_gate)
        {
            var active = new ActiveFault($"fault-{++_nextId}", rule, Glob(rule.Path), rule.Times);
            _rules.Add(active);
            return active.Id;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public IReadOnlyList<(string Id, FaultRule Rule, int? Remaining)> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules.Select(r => (r.Id, r.Rule, r.Remaining))];
            }
        }
    }

    /// <summary>The rule to apply to this request, using up one of its uses.</summary>
    internal FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            var match = _rules.FirstOrDefault(r =>
                (r.Rule.Method == "*" || string.Equals(r.Rule.Method, method, StringComparison.OrdinalIgnoreCase)) && r.Pattern.IsMatch(path));
            if (match is null)
            {
                return null;
            }
            if (match.Remaining is { } remaining)
            {
                match.Remaining = remaining - 1;
                if (match.Remaining == 0)
                {
                    _rules.Remove(match);
                }
            }
            return match.Rule;
        }
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);

    private sealed class ActiveFault(string id, FaultRule rule, Regex pattern, int? remaining)
    {
        public string Id { get; } = id;
        public FaultRule Rule { get; } = rule;
        public Regex Pattern { get; } = pattern;
        public int? Remaining { get; set; } = remaining;
    }
}
