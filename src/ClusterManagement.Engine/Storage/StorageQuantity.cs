using System.Globalization;
using System.Text.RegularExpressions;
using ClusterManagement.Diagnostics;
using ClusterManagement.Storage;

namespace ClusterManagement.Engine.Storage;

/// <summary>
/// Storage sizes as Kubernetes quantities (resource.Quantity): parsed to exact bytes, printed the way
/// the API server prints them (1024Mi reads back as 1Gi, 1500M stays 1500M).
/// </summary>
internal static partial class StorageQuantity
{
    private static readonly (string Suffix, decimal Factor)[] Binary =
        [("Ei", 1L << 60), ("Pi", 1L << 50), ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10)];

    private static readonly (string Suffix, decimal Factor)[] Decimal =
        [("E", 1e18m), ("P", 1e15m), ("T", 1e12m), ("G", 1e9m), ("M", 1e6m), ("k", 1e3m)];

    [GeneratedRegex(@"^(?<number>\+?(\d+(\.\d*)?|\.\d+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE]\+?\d+)?$")]
    private static partial Regex Syntax();

    /// <summary>Parses a positive size; <paramref name="error"/> says what is wrong otherwise, with examples.</summary>
    public static bool TryParse(string? text, out decimal bytes, out string? error)
    {
        bytes = 0;
        error = null;
        var trimmed = text?.Trim() ?? "";
        var match = Syntax().Match(trimmed);
        if (!match.Success)
        {
            error = $"'{text}' is not a Kubernetes quantity: give a number with an optional suffix Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024) or k, M, G, T, P, E (powers of 1000), such as 1Gi, 500Mi or 1G.";
            return false;
        }
        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        try
        {
            bytes = number * suffix switch
            {
                "" => 1m,
                ['e' or 'E', .. var exponent] => (decimal)Math.Pow(10, int.Parse(exponent.TrimStart('+'), CultureInfo.InvariantCulture)),
                _ => Binary.Concat(Decimal).First(s => s.Suffix == suffix).Factor,
            };
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large for a storage size.";
            return false;
        }
        if (bytes <= 0 || bytes != decimal.Truncate(bytes))
        {
            error = $"'{text}' is not a usable storage size: it must be a positive whole number of bytes.";
            return false;
        }
        return true;
    }

    /// <summary>The canonical text the API server stores for <paramref name="text"/>; refuses what is not a size.</summary>
    public static string Canonical(string text)
    {
        if (!TryParse(text, out var bytes, out var error))
        {
            throw new ClusterException(ClusterErrors.QuantityInvalid, error!, text);
        }
        var suffix = Syntax().Match(text.Trim()).Groups["suffix"].Value;
        return Format(bytes, binary: suffix.EndsWith('i'));
    }

    /// <summary>Bytes as a quantity in the largest suffix of the family that keeps the number whole.</summary>
    public static string Format(decimal bytes, bool binary = true)
    {
        foreach (var (suffix, factor) in binary ? Binary : Decimal)
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return (bytes / factor).ToString("0", CultureInfo.InvariantCulture) + suffix;
            }
        }
        return bytes.ToString("0", CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes of a quantity the API server returned; null when absent or unreadable.</summary>
    public static decimal? BytesOf(string? quantity) => TryParse(quantity, out var bytes, out _) ? bytes : null;
}
