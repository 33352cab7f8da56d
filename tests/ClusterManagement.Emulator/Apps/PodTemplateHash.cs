using System.Text;
using System.Text.Json.Nodes;

namespace ClusterManagement.Emulator.Apps;

/// <summary>
/// controller.ComputeHash: FNV-1a (32 bit) over the pod template plus the collision count, printed in
/// decimal and mapped onto rand.SafeEncodeString's alphabet, so names look like web-7d4b9c8f5. The real
/// controller hashes Go's spew dump of the struct; here the canonical JSON stands in, which is just as
/// stable: the same template always gives the same name.
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(JsonObject template, long? collisionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        if (collisionCount is { } count)
        {
            foreach (var b in BitConverter.GetBytes((uint)count))
            {
                hash ^= b;
                hash *= 16777619u;
            }
        }
        return SafeEncode(hash.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string SafeEncode(string text) =>
        string.Concat(text.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));

    /// <summary>
    /// Object keys sorted, so key order (which patches may change) does not matter, and null fields
    /// dropped, as Go's decoder reads them: a client's "creationTimestamp": null is no change.
    /// </summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
