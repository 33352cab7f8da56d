using ClusterManagement.Diagnostics;

namespace ClusterManagement.Engine.NodeHosts.Docker;

/// <summary>The dockerd command line docker.service runs, and the file that set it.</summary>
internal sealed record DockerdCommandLine(IReadOnlyList<string> Arguments, string Source)
{
    /// <summary>The daemon.json key of every flag given, as dockerd itself pairs them, with the flag as written.</summary>
    public IReadOnlyList<(string Key, string Flag)> ConfigKeys => DockerdFlags.ConfigKeys(Arguments);
}

/// <summary>
/// dockerd refuses to start when one directive is given both as a flag and in daemon.json, even with the
/// same value ("the following directives are specified both as a flag and in the configuration file: ...",
/// findConfigurationConflicts in moby's daemon/config/config.go). Hosts pass flags through docker.service's
/// ExecStart (Debian's -H fd://, a drop-in's network flags), so a daemon.json is checked against them first.
/// </summary>
internal static class DockerdFlags
{
    private const string DropInMarker = "@@drop-in ";
    private const string EnvironmentFileMarker = "@@environment-file ";

    /// <summary>
    /// The unit as systemd merged it (an installed engine), and every docker.service drop-in by path: before
    /// the engine is installed systemd loads no drop-ins for it, yet they decide its command line once it is.
    /// </summary>
    public const string ReadScript =
        "systemctl show docker.service -p LoadState -p FragmentPath -p ExecStart -p Environment 2>/dev/null; " +
        "systemctl show docker.service -p EnvironmentFiles --value 2>/dev/null | while IFS= read -r f; do f=${f% (ignore_errors=*}; " +
        "if [ -f \"$f\" ]; then printf '" + EnvironmentFileMarker + "%s\\n' \"$f\"; cat \"$f\"; echo; fi; done; " +
        "for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system; do " +
        "for f in \"$d\"/docker.service.d/*.conf; do if [ -f \"$f\" ]; then printf '" + DropInMarker + "%s\\n' \"$f\"; cat \"$f\"; echo; fi; done; done";

    /// <summary>
    /// Flags whose daemon.json key is another name (opts.NamedOption in moby: lists and maps); any other flag's
    /// key is its long name.
    /// </summary>
    private static readonly Dictionary<string, string> NamedOptions = new(StringComparer.Ordinal)
    {
        ["host"] = "hosts",
        ["label"] = "labels",
        ["exec-opt"] = "exec-opts",
        ["storage-opt"] = "storage-opts",
        ["log-opt"] = "log-opts",
        ["dns-opt"] = "dns-opts",
        ["authorization-plugin"] = "authorization-plugins",
        ["insecure-registry"] = "insecure-registries",
        ["registry-mirror"] = "registry-mirrors",
        ["default-ulimit"] = "default-ulimits",
        ["add-runtime"] = "runtimes",
        ["node-generic-resource"] = "node-generic-resources",
        ["default-address-pool"] = "default-address-pools",
        ["cluster-store-opt"] = "cluster-store-opts",
    };

    private static readonly Dictionary<char, string> Shorthands = new()
    {
        ['H'] = "host", ['b'] = "bridge", ['D'] = "debug", ['G'] = "group", ['l'] = "log-level", ['p'] = "pidfile", ['s'] = "storage-driver", ['g'] = "graph",
    };

    /// <summary>dockerd's boolean flags: a word after one is not its value (pflag takes --flag=false only).</summary>
    private static readonly HashSet<string> Booleans = new(StringComparer.Ordinal)
    {
        "debug", "iptables", "ip6tables", "ip-forward", "ip-masq", "icc", "userland-proxy", "live-restore", "selinux-enabled", "tls", "tlsverify",
        "experimental", "init", "no-new-privileges", "raw-logs", "validate", "ipv6", "rootless", "help", "version",
    };

    /// <summary>
    /// The command line from <see cref="ReadScript"/>'s output: systemd's own merge when the unit is loaded; before
    /// that, the drop-ins' ExecStart (the last file that resets it wins); null when the package's unit will decide.
    /// </summary>
    public static DockerdCommandLine? Parse(string output)
    {
        var text = output.Replace("\r", string.Empty, StringComparison.Ordinal);
        var markerAt = text.IndexOf(DropInMarker, StringComparison.Ordinal);
        var beforeDropIns = markerAt < 0 ? text : text[..markerAt];
        var environmentFilesAt = beforeDropIns.IndexOf(EnvironmentFileMarker, StringComparison.Ordinal);
        var show = environmentFilesAt < 0 ? beforeDropIns : beforeDropIns[..environmentFilesAt];
        var fields = show.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        var dropIn = DropInCommandLine(markerAt < 0 ? string.Empty : text[markerAt..]);
        if (fields.GetValueOrDefault("LoadState") == "loaded" && ArgvOf(fields.GetValueOrDefault("ExecStart")) is { } argv)
        {
            var environment = UnitEnvironment(fields.GetValueOrDefault("Environment"), environmentFilesAt < 0 ? string.Empty : beforeDropIns[environmentFilesAt..]);
            return new DockerdCommandLine(Expand(argv, environment), dropIn?.Source ?? fields.GetValueOrDefault("FragmentPath") ?? "docker.service");
        }

        return dropIn;
    }

    /// <summary>Each flag's daemon.json key, as findConfigurationConflicts looks it up (named option, long name).</summary>
    public static IReadOnlyList<(string Key, string Flag)> ConfigKeys(IReadOnlyList<string> arguments)
    {
        var keys = new List<(string, string)>();
        for (var i = 1; i < arguments.Count; i++)
        {
            var word = arguments[i];
            string name;
            bool hasValue;
            if (word.StartsWith("--", StringComparison.Ordinal) && word.Length > 2)
            {
                var equals = word.IndexOf('=', StringComparison.Ordinal);
                name = equals < 0 ? word[2..] : word[2..equals];
                hasValue = equals >= 0;
            }
            else if (word.Length >= 2 && word[0] == '-' && Shorthands.TryGetValue(word[1], out var longName))
            {
                name = longName;
                hasValue = word.Length > 2;
            }
            else
            {
                continue;
            }

            var flag = word;
            if (!hasValue && !Booleans.Contains(name) && i + 1 < arguments.Count)
            {
                flag = $"{word} {arguments[++i]}";
            }

            keys.Add((NamedOptions.GetValueOrDefault(name, name), flag));
        }

        return keys;
    }

    /// <summary>Refuses, naming each clash and where the flag comes from, a daemon.json dockerd would refuse with this command line.</summary>
    public static void RequireNoConflicts(string node, IEnumerable<string> configKeys, DockerdCommandLine? commandLine)
    {
        if (commandLine is null)
        {
            return;
        }

        var flags = commandLine.ConfigKeys.ToLookup(k => k.Key, k => k.Flag, StringComparer.Ordinal);
        var clashes = configKeys.Where(k => flags.Contains(k)).Select(k => $"{k} ({string.Join(", ", flags[k])})").ToList();
        if (clashes.Count > 0)
        {
            throw new ClusterException(ClusterErrors.EngineConfigConflict,
                $"-EngineConfig sets directives that docker.service on {node} already passes to dockerd as flags (ExecStart in {commandLine.Source}): {string.Join(", ", clashes)}. "
                + "dockerd refuses to start when a directive is given both ways (\"the following directives are specified both as a flag and in the configuration file\"), even with the same value. "
                + "Leave them out of -EngineConfig (the flags already set them) or remove them from the unit. Nothing was changed on the host.",
                node);
        }
    }

    /// <summary>
    /// The variables systemd gives the command: Environment=, then the EnvironmentFile= files, which override it
    /// (Debian's docker.io passes $DOCKER_OPTS from /etc/default/docker). Files are read as systemd reads them:
    /// KEY=VALUE lines, '#' and ';' comments, quotes around the value.
    /// </summary>
    private static Dictionary<string, string> UnitEnvironment(string? environmentProperty, string environmentFiles)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in Words(environmentProperty ?? string.Empty))
        {
            AddAssignment(environment, assignment);
        }

        foreach (var part in environmentFiles.Split(EnvironmentFileMarker, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var line in part.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] is not ('#' or ';')))
            {
                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    var value = line[(equals + 1)..].Trim();
                    var quoted = value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0];
                    environment[line[..equals].Trim()] = quoted ? value[1..^1] : value;
                }
            }
        }

        return environment;
    }

    private static void AddAssignment(Dictionary<string, string> environment, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            environment[assignment[..equals]] = assignment[(equals + 1)..];
        }
    }

    /// <summary>
    /// systemd's expansion of ExecStart: a word that is exactly $NAME becomes the value's blank-separated words
    /// (none when unset), ${NAME} inside a word becomes the value as it is.
    /// </summary>
    private static List<string> Expand(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment)
    {
        var expanded = new List<string>();
        foreach (var word in argv)
        {
            if (word.Length > 1 && word[0] == '$' && word[1] != '{')
            {
                expanded.AddRange(environment.GetValueOrDefault(word[1..], string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            }
            else
            {
                expanded.Add(System.Text.RegularExpressions.Regex.Replace(word, @"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", m => environment.GetValueOrDefault(m.Groups[1].Value, string.Empty)));
            }
        }

        return expanded;
    }

    /// <summary>"{ path=... ; argv[]=dockerd -H fd:// ... ; ignore_errors=no ; ... }" from systemctl show.</summary>
    private static IReadOnlyList<string>? ArgvOf(string? execStart)
    {
        const string start = "argv[]=";
        var at = execStart?.IndexOf(start, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }

        var rest = execStart![(at + start.Length)..];
        var end = rest.IndexOf(" ; ", StringComparison.Ordinal);
        return Words(end < 0 ? rest : rest[..end]);
    }

    /// <summary>
    /// systemd's drop-in order: one file per name (/etc before /run before the vendor folders), applied in name
    /// order; an empty ExecStart= clears the command, the next one sets it.
    /// </summary>
    private static DockerdCommandLine? DropInCommandLine(string dropIns)
    {
        var files = new Dictionary<string, (string Path, string Text)>(StringComparer.Ordinal);
        foreach (var part in dropIns.Split(DropInMarker, StringSplitOptions.RemoveEmptyEntries))
        {
            var newline = part.IndexOf('\n', StringComparison.Ordinal);
            var path = newline < 0 ? part.Trim() : part[..newline].Trim();
            files.TryAdd(Path.GetFileName(path), (path, newline < 0 ? string.Empty : part[(newline + 1)..]));
        }

        DockerdCommandLine? commandLine = null;
        foreach (var (path, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value))
        {
            var section = string.Empty;
            foreach (var line in text.Split('\n').Select(l => l.Trim()))
            {
                if (line.StartsWith('[') && line.EndsWith(']'))
                {
                    section = line;
                }
                else if (section == "[Service]" && line.StartsWith("ExecStart=", StringComparison.Ordinal))
                {
                    var value = line["ExecStart=".Length..].TrimStart('-', '@', '+', '!', ':');
                    commandLine = value.Length == 0 ? null : new DockerdCommandLine(Words(value), path);
                }
            }
        }

        return commandLine;
    }

    /// <summary>Splits a command line at blanks outside quotes, as systemd does for ExecStart.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
