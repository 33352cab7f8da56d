using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Ssh;

/// <summary>One host key from a known_hosts file.</summary>
internal sealed record KnownHostKey(string KeyType, byte[] Blob)
{
    public string Fingerprint => SshFingerprint.Of(Blob);
}

/// <summary>A marked known_hosts line (@revoked, @cert-authority) that applies to a host, with where it is.</summary>
internal sealed record MarkedHostKey(int Line, KnownHostKey Key);

/// <summary>
/// What known_hosts says about one host: its plain keys, the keys revoked for it, and the certificate
/// authorities trusted for it.
/// </summary>
internal sealed record KnownHostEntries(IReadOnlyList<KnownHostKey> Keys, IReadOnlyList<MarkedHostKey> Revoked, IReadOnlyList<MarkedHostKey> Authorities);

/// <summary>
/// An OpenSSH known_hosts file: plain and hashed (<c>|1|salt|hash</c>) host patterns, <c>[host]:port</c>
/// for ports other than 22, comma-separated and negated patterns, comments, and the @revoked and
/// @cert-authority markers. New keys are appended in OpenSSH's own format, so the same file serves
/// ssh and this module.
/// </summary>
internal sealed class KnownHosts(string path, TimeSpan? lockWait = null)
{
    /// <summary>
    /// How long a read or write waits for the file. It is read inside SSH.NET's host-key callback,
    /// which must decide before authentication goes on, so the wait blocks that thread: bounded,
    /// and without spinning while another thread of this process holds the file.
    /// </summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(25);

    /// <summary>One gate per file for this process's threads; the file lock then orders other processes.</summary>
    private static readonly ConcurrentDictionary<string, object> Gates = new(StringComparer.Ordinal);

    private readonly TimeSpan lockWait = lockWait ?? DefaultLockWait;

    public string Path { get; } = path;

    public static string DefaultPath =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    /// <summary>The name OpenSSH looks up for a host and port: the host alone on port 22, else [host]:port.</summary>
    public static string HostPattern(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    public KnownHostEntries Lookup(string host, int port)
    {
        if (!File.Exists(Path))
        {
            return new KnownHostEntries([], [], []);
        }

        var name = HostPattern(host, port);
        var keys = new List<KnownHostKey>();
        var revoked = new List<MarkedHostKey>();
        var authorities = new List<MarkedHostKey>();
        var lines = Locked(FileShare.Read, stream => ReadLines(stream));
        for (var i = 0; i < lines.Count; i++)
        {
            if (Parse(lines[i]) is not { } entry || !entry.Matches(name))
            {
                continue;
            }

            switch (entry.Marker)
            {
                case Marker.None:
                    keys.Add(entry.Key);
                    break;
                case Marker.Revoked:
                    revoked.Add(new MarkedHostKey(i + 1, entry.Key));
                    break;
                case Marker.CertAuthority:
                    authorities.Add(new MarkedHostKey(i + 1, entry.Key));
                    break;
            }
        }

        return new KnownHostEntries(keys, revoked, authorities);
    }

    /// <summary>Appends the key unless the file already holds it for the host (two first visits at once record it once).</summary>
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

        var name = HostPattern(host, port);
        Locked(FileShare.None, stream =>
        {
            var lines = ReadLines(stream);
            if (lines.Select(Parse).Any(e => e is { Marker: Marker.None } && e.Matches(name) && e.Key.Blob.AsSpan().SequenceEqual(key.Blob)))
            {
                return 0;
            }

            var line = $"{name} {key.KeyType} {Convert.ToBase64String(key.Blob)}\n";
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                if (stream.ReadByte() != '\n')
                {
                    line = "\n" + line;
                }
            }

            stream.Seek(0, SeekOrigin.End);
            stream.Write(Encoding.UTF8.GetBytes(line));
            return 0;
        });
    }

    private static List<string> ReadLines(FileStream stream)
    {
        var lines = new List<string>();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>
    /// Readers and writers take the file in turn: nodes are visited concurrently (-ThrottleLimit), and a
    /// read while another first visit appends would otherwise fail on the writer's exclusive lock, and
    /// two appends at the same end of the file would lose one host. Threads of this process queue on a
    /// gate; another process (a second pwsh) holding the file is waited for in short steps.
    /// </summary>
    private T Locked<T>(FileShare share, Func<FileStream, T> work)
    {
        var deadline = Environment.TickCount64 + (long)lockWait.TotalMilliseconds;
        var gate = Gates.GetOrAdd(System.IO.Path.GetFullPath(Path), _ => new object());
        if (!Monitor.TryEnter(gate, lockWait))
        {
            throw Busy();
        }

        try
        {
            while (true)
            {
                try
                {
                    using var stream = share == FileShare.None
                        ? new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                        : new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
                    return work(stream);
                }
                catch (IOException) when (File.Exists(Path) && Environment.TickCount64 < deadline)
                {
                    Thread.Sleep(RetryDelay);
                }
                catch (IOException error) when (File.Exists(Path))
                {
                    throw Busy(error);
                }
            }
        }
        finally
        {
            Monitor.Exit(gate);
        }
    }

    private ClusterException Busy(Exception? error = null) => new(ClusterErrors.KnownHostsLocked, $"{Path} stayed locked for {lockWait.TotalSeconds:0.#} s by another program or run, so the host key could not be checked.{(error is null ? string.Empty : " " + error.Message)}",
        Path,
        error);

    private enum Marker
    {
        None,
        Revoked,
        CertAuthority,
    }

    private sealed record Entry(Marker Marker, string[] Patterns, KnownHostKey Key)
    {
        public bool Matches(string name) => Patterns.Any(p => MatchesPattern(p, name)) && !Patterns.Any(p => p.StartsWith('!') && MatchesPattern(p[1..], name));
    }

    /// <summary>A line OpenSSH would read; an unknown marker is not a host key line for it either.</summary>
    private static Entry? Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith('#'))
        {
            return null;
        }

        var marker = Marker.None;
        if (text.StartsWith('@'))
        {
            var word = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            Marker? known = word[0] switch
            {
                "@revoked" => Marker.Revoked,
                "@cert-authority" => Marker.CertAuthority,
                _ => null,
            };
            if (known is null || word.Length < 2)
            {
                return null;
            }

            marker = known.Value;
            text = word[1];
        }

        var fields = text.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            return null;
        }

        try
        {
            return new Entry(marker, fields[0].Split(','), new KnownHostKey(fields[1], Convert.FromBase64String(fields[2])));
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
