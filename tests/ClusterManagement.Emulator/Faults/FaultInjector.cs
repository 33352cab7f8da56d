using System.Text.RegularExpressions;

namespace ClusterManagement.Emulator.Faults;

/// <summary>
/// The active fault rules; the first matching rule with uses left (and time left, for a rule with a
/// duration) applies to a request. Each rule counts the requests it hit, and a spent or expired rule
/// keeps its count, so a test can prove its fault really fired.
/// </summary>
public sealed class FaultInjector(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _rules = [];
    private readonly Dictionary<string, ActiveFault> _spent = [];
    private int _nextId;

    /// <summary>Adds a rule and returns its id (for <see cref="Remove"/> and the control API).</summary>
    public string Add(FaultRule rule)
    {
        lock (_gate)
        {
            DateTimeOffset? expires = rule.DurationMilliseconds is { } duration ? time.GetUtcNow().AddMilliseconds(duration) : null;
            var active = new ActiveFault($"fault-{++_nextId}", rule, Glob(rule.Path), rule.Times, expires);
            _rules.Add(active);
            return active.Id;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(r => r.Id == id) + (_spent.Remove(id) ? 1 : 0) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _spent.Clear();
        }
    }

    public IReadOnlyList<(string Id, FaultRule Rule, int? Remaining)> Rules
    {
        get
        {
            lock (_gate)
            {
                RetireExpired();
                return [.. _rules.Select(r => (r.Id, r.Rule, r.Remaining))];
            }
        }
    }

    /// <summary>A rule by id, active, spent or expired, with the number of requests it hit; null when unknown (or cleared).</summary>
    public (FaultRule Rule, int? Remaining, int Hits, bool Active)? Find(string id)
    {
        lock (_gate)
        {
            RetireExpired();
            if (_rules.FirstOrDefault(r => r.Id == id) is { } active)
            {
                return (active.Rule, active.Remaining, active.Hits, true);
            }
            return _spent.TryGetValue(id, out var spent) ? (spent.Rule, spent.Remaining, spent.Hits, false) : null;
        }
    }

    /// <summary>The rule to apply to this request, using up one of its uses.</summary>
    internal FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            RetireExpired();
            var match = _rules.FirstOrDefault(r =>
                (r.Rule.Method == "*" || string.Equals(r.Rule.Method, method, StringComparison.OrdinalIgnoreCase)) && r.Pattern.IsMatch(path));
            if (match is null)
            {
                return null;
            }
            match.Hits++;
            if (match.Remaining is { } remaining)
            {
                match.Remaining = remaining - 1;
                if (match.Remaining == 0)
                {
                    Retire(match);
                }
            }
            return match.Rule;
        }
    }

    private void RetireExpired()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _rules.Where(r => r.Expires <= now).ToList())
        {
            Retire(expired);
        }
    }

    private void Retire(ActiveFault rule)
    {
        _rules.Remove(rule);
        _spent[rule.Id] = rule;
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.CultureInvariant);

    private sealed class ActiveFault(string id, FaultRule rule, Regex pattern, int? remaining, DateTimeOffset? expires)
    {
        public DateTimeOffset? Expires { get; } = expires;
        public int Hits { get; set; }

        public string Id { get; } = id;
        public FaultRule Rule { get; } = rule;
        public Regex Pattern { get; } = pattern;
        public int? Remaining { get; set; } = remaining;
    }
}
