using System.Xml;

namespace ClusterManagement.Common;

/// <summary>
/// Durations in output types are ISO 8601 strings ("PT3M12S"): ConvertTo-Json writes a TimeSpan as a
/// 15-field object and Export-Csv as culture text, while this reads the same everywhere and parses
/// back with [System.Xml.XmlConvert]::ToTimeSpan.
/// </summary>
public static class IsoDuration
{
    public static string Format(TimeSpan duration) =>
        XmlConvert.ToString(TimeSpan.FromSeconds(Math.Floor(Math.Max(0, duration.TotalSeconds))));

    public static TimeSpan Parse(string duration) => XmlConvert.ToTimeSpan(duration);
}
