using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace ClusterManagement.Commands.Infrastructure;

/// <summary>Hashtable parameters (-Label, -Parameter, -Option ...) as the string maps the APIs take.</summary>
internal static class ParameterMaps
{
    /// <summary>
    /// Kubernetes and Docker maps hold strings: PowerShell's $true must arrive as "true" and numbers in
    /// the invariant culture, whatever the session's culture.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Strings(IDictionary? table) =>
        table is null
            ? new Dictionary<string, string>()
            : table.Cast<DictionaryEntry>().ToDictionary(
                e => e.Key.ToString()!,
                e => (e.Value is PSObject p ? p.BaseObject : e.Value) switch
                {
                    null => "",
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v.ToString() ?? "",
                });
}
