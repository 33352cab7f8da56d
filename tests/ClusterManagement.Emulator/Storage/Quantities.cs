using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Storage;

/// <summary>
/// resource.Quantity as the apiserver reads and re-prints it (sizes, CPU, memory): parsed to an exact
/// number, printed canonically in the suffix family the client used (1024Mi reads back as 1Gi, 0.5 as 500m).
/// </summary>
public static partial class Quantities
{
    private static readonly (string Suffix, decimal Factor)[] Binary =
        [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    private static readonly (string Suffix, decimal Factor)[] Decimal =
        [("E", 1e18m), ("P", 1e15m), ("T", 1e12m), ("G", 1e9m), ("M", 1e6m), ("k", 1e3m)];

    private static readonly (string Suffix, decimal Factor)[] Fractions = [("m", 1e3m), ("u", 1e6m), ("n", 1e9m)];

    [GeneratedRegex(@"^(?<number>[+-]?(\d+(\.\d*)?|\.\d+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$")]
    private static partial Regex Syntax();

    public static bool TryParse(string? text, out decimal value, out bool binary)
    {
        value = 0;
        binary = false;
        var match = Syntax().Match(text ?? "");
        if (!match.Success)
        {
            return false;
        }
        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        binary = suffix.EndsWith('i');
        var factor = suffix switch
        {
            "" => 1m,
            "n" => 0.000000001m,
            "u" => 0.000001m,
            "m" => 0.001m,
            ['e' or 'E', .. var exponent] => (decimal)Math.Pow(10, int.Parse(exponent, CultureInfo.InvariantCulture)),
            _ => Binary.Concat(Decimal).First(s => s.Suffix == suffix).Factor,
        };
        value = number * factor;
        return true;
    }

    /// <summary>
    /// A quantity the server's JSON decoding refuses fails the whole request before validation, worded as
    /// transformDecodeError words it.
    /// </summary>
    public static ApiException DecodeError(ResourceKind kind) =>
        Status.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: quantities must match the regular expression '{Pattern}'");

    /// <summary>resource.Quantity's own syntax check, as its error message quotes it.</summary>
    public const string Pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    /// <summary>
    /// Decodes each quantity of a resource list (requests, limits, capacity) as the server's decoding does,
    /// refusing the request when one does not parse, and writes it back in the form the server re-prints.
    /// </summary>
    public static Dictionary<string, (decimal Value, string Text)> ReadList(ResourceKind kind, JsonObject? list)
    {
        var result = new Dictionary<string, (decimal, string)>(StringComparer.Ordinal);
        foreach (var (name, node) in (list ?? []).ToList())
        {
            var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
            if (!TryParse(text, out var value, out var binary))
            {
                throw DecodeError(kind);
            }
            var canonical = Format(value, binary);
            list![name] = canonical;
            result[name] = (value, canonical);
        }
        return result;
    }

    public static decimal? Parse(string? text) => TryParse(text, out var value, out _) ? value : null;

    public static string Format(decimal value, bool binary)
    {
        if (value == 0)
        {
            return "0";
        }
        if (value != decimal.Truncate(value))
        {
            // Fractions print in the largest sub-unit that holds them whole, rounded up at nano as Quantity does (0.5 -> 500m).
            foreach (var (suffix, factor) in Fractions)
            {
                if (value * factor == decimal.Truncate(value * factor))
                {
                    return (value * factor).ToString("0", CultureInfo.InvariantCulture) + suffix;
                }
            }
            return decimal.Ceiling(value * 1e9m).ToString("0", CultureInfo.InvariantCulture) + "n";
        }
        foreach (var (suffix, factor) in binary ? Binary : Decimal)
        {
            if (Math.Abs(value) >= factor && value % factor == 0)
            {
                return (value / factor).ToString("0", CultureInfo.InvariantCulture) + suffix;
            }
        }
        return value.ToString("0", CultureInfo.InvariantCulture);
    }
}
