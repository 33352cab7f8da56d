using System.Globalization;

namespace ClusterManagement.Emulator.Batch;

/// <summary>
/// A CronJob schedule as github.com/robfig/cron/v3's ParseStandard reads it (what the apiserver validates
/// and the cronjob controller runs): five fields (minute hour day-of-month month day-of-week) of lists,
/// ranges, steps, <c>*</c>/<c>?</c> and month/day names, or a descriptor (@yearly, @annually, @monthly,
/// @weekly, @daily, @midnight, @hourly); when both day fields are restricted a day matching either runs.
/// Parse errors carry robfig's wording.
/// </summary>
public sealed class CronSchedule
{
    private static readonly (int Min, int Max, string[] Names)[] Fields =
    [
        (0, 59, []),
        (0, 23, []),
        (1, 31, []),
        (1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        (0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly HashSet<int>[] _allowed;
    private readonly bool _dayOfMonthStar;
    private readonly bool _dayOfWeekStar;

    private CronSchedule(HashSet<int>[] allowed, bool dayOfMonthStar, bool dayOfWeekStar)
    {
        _allowed = allowed;
        _dayOfMonthStar = dayOfMonthStar;
        _dayOfWeekStar = dayOfWeekStar;
    }

    /// <summary>The schedule, or robfig's error text (which validation puts after "Invalid value").</summary>
    public static CronSchedule? TryParse(string spec, out string? error)
    {
        error = null;
        var text = spec.Trim();
        if (text.StartsWith('@'))
        {
            if (!Descriptors.TryGetValue(text, out var expanded))
            {
                error = $"unrecognized descriptor: {text}";
                return null;
            }
            text = expanded;
        }
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = $"expected exactly 5 fields, found {fields.Length}: [{string.Join(' ', fields)}]";
            return null;
        }
        var allowed = new HashSet<int>[5];
        for (var i = 0; i < 5; i++)
        {
            allowed[i] = [];
            foreach (var part in fields[i].Split(','))
            {
                if (!TryRange(part, Fields[i], allowed[i], out error))
                {
                    return null;
                }
            }
        }
        // robfig: a day field starting with * (or ?) does not restrict, so the other day field alone decides.
        return new CronSchedule(allowed, fields[2].StartsWith('*') || fields[2].StartsWith('?'), fields[4].StartsWith('*') || fields[4].StartsWith('?'));
    }

    private static bool TryRange(string expr, (int Min, int Max, string[] Names) field, HashSet<int> into, out string? error)
    {
        error = null;
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        int start, end;
        var singleDigit = lowAndHigh.Length == 1;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end) = (field.Min, field.Max);
        }
        else
        {
            if (!TryValue(lowAndHigh[0], field.Names, out start, out error))
            {
                return false;
            }
            end = start;
            if (lowAndHigh.Length == 2 && !TryValue(lowAndHigh[1], field.Names, out end, out error))
            {
                return false;
            }
            if (lowAndHigh.Length > 2)
            {
                error = $"too many hyphens: {expr}";
                return false;
            }
        }
        var step = 1;
        if (rangeAndStep.Length == 2)
        {
            if (!TryInt(rangeAndStep[1], out step, out error))
            {
                return false;
            }
            if (singleDigit && lowAndHigh[0] is not ("*" or "?"))
            {
                end = field.Max;
            }
        }
        else if (rangeAndStep.Length > 2)
        {
            error = $"too many slashes: {expr}";
            return false;
        }
        if (start < field.Min)
        {
            error = $"beginning of range ({start}) below minimum ({field.Min}): {expr}";
            return false;
        }
        if (end > field.Max)
        {
            error = $"end of range ({end}) above maximum ({field.Max}): {expr}";
            return false;
        }
        if (start > end)
        {
            error = $"beginning of range ({start}) beyond end of range ({end}): {expr}";
            return false;
        }
        if (step == 0)
        {
            error = $"step of range should be a positive number: {expr}";
            return false;
        }
        for (var v = start; v <= end; v += step)
        {
            into.Add(v);
        }
        return true;
    }

    private static bool TryValue(string text, string[] names, out int value, out string? error)
    {
        var index = Array.IndexOf(names, text.ToLowerInvariant());
        if (index >= 0)
        {
            value = index + (names.Length == 12 ? 1 : 0);
            error = null;
            return true;
        }
        return TryInt(text, out value, out error);
    }

    private static bool TryInt(string text, out int value, out string? error)
    {
        error = null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = $"failed to parse int from {text}: strconv.Atoi: parsing \"{text}\": invalid syntax";
            return false;
        }
        if (value < 0)
        {
            error = $"negative number ({value}) not allowed: {text}";
            return false;
        }
        return true;
    }

    /// <summary>The first scheduled minute after <paramref name="after"/>, on the wall clock of <paramref name="zone"/>; null within five years none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var t = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = t.AddYears(5);
        while (t < limit)
        {
            if (!_allowed[3].Contains(t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
            }
            else if (!_allowed[1].Contains(t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!_allowed[0].Contains(t.Minute))
            {
                t = t.AddMinutes(1);
            }
            else if (zone.IsInvalidTime(t))
            {
                // A wall-clock minute the daylight-saving switch skips never comes.
                t = t.AddMinutes(1);
            }
            else
            {
                return new DateTimeOffset(t, zone.GetUtcOffset(t)).ToUniversalTime();
            }
        }
        return null;
    }

    private bool DayMatches(DateTime t)
    {
        var dom = _allowed[2].Contains(t.Day);
        var dow = _allowed[4].Contains((int)t.DayOfWeek);
        return _dayOfMonthStar || _dayOfWeekStar ? dom && dow : dom || dow;
    }
}
