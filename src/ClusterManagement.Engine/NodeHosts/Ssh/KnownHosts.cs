using System.Security.Cryptography;
using System.Text;

namespace ClusterManagement.NodeHosts.Ssh;

/// <summary>One host key from a known_hosts file.</summary>
public sealed record KnownHostKey(string KeyType, byte[] Blob)
{
    public string Fingerprint => SshFingerprint.Of(Blob);
}

/// <summary>
/// An OpenSSH known_hosts file: plain and hashed (<c>|1|salt|hash</c>) host patterns, <c>[host]:port</c>
/// for ports other than 22, comma-separated patterns, comments. Lines marked @cert-authority or
/// @revoked are not host keys and are skipped. New keys are appended in OpenSSH's own format, so
/// the same file serves ssh and this module.
/// </summary>
public sealed class KnownHosts(string path)
{
    public string Path { get; } = path;

    public static string DefaultPath =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    /// <summary>The name OpenSSH looks up for a host and port: the host alone on port 22, else [host]:port.</summary>
    public static string HostPattern(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    public IReadOnlyList<KnownHostKey> Find(string host, int port)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var name = HostPattern(host, port);
        var keys = new List<KnownHostKey>();
        foreach (var line in File.ReadLines(Path))
        {
            if (Parse(line) is { } entry && entry.Patterns.Any(p => MatchesPattern(p, name)) && !entry.Negated(name))
            {
                keys.Add(entry.Key);
            }
        }

        return keys;
    }

    public void Add(string host, int port, KnownHostKey key)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            // ~/.ssh must not be readable by others, or ssh itself refuses to use it.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var line = $"{HostPattern(host, port)} {key.KeyType} {Convert.ToBase64String(key.Blob)}\n";
        using var stream = OpenExclusive(Path);
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n')
            {
                line = "\n" + line;
            }
        }

        stream.Seek(0, SeekOrigin.End);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
    }

    /// <summary>
    /// Nodes are added concurrently (New-ClusterNode in parallel, -ThrottleLimit), and two appends at
    /// the same end of the file would lose one host: writers take the file in turn.
    /// </summary>
    private static FileStream OpenExclusive(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 100 && File.Exists(path))
            {
                Thread.Sleep(50);
            }
        }
    }

    private sealed record Entry(string[] Patterns, KnownHostKey Key)
    {
        public bool Negated(string name) => Patterns.Any(p => p.StartsWith('!') && MatchesPattern(p[1..], name));
    }

    private static Entry? Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith('#') || text.StartsWith('@'))
        {
            return null;
        }

        var fields = text.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            return null;
        }

        try
        {
            return new Entry(fields[0].Split(','), new KnownHostKey(fields[1], Convert.FromBase64String(fields[2])));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool MatchesPattern(string pattern, string name)
    {
        if (pattern.StartsWith("|1|", StringComparison.Ordinal))
        {
            return MatchesHashed(pattern, name);
        }

        if (pattern.StartsWith('!'))
        {
            return false;
        }

        return Glob(pattern, name);
    }

    /// <summary>HashKnownHosts entries: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).</summary>
    private static bool MatchesHashed(string pattern, string name)
    {
        var parts = pattern.Split('|');
        if (parts.Length != 4)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(name));
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>OpenSSH host patterns: '*' any run, '?' one character, case-insensitive.</summary>
    private static bool Glob(string pattern, string name)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?'))
        {
            return string.Equals(pattern, name, StringComparison.OrdinalIgnoreCase);
        }

        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }
}
