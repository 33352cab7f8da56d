using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.NodeHosts.Ssh;
using ClusterManagement.Nodes;
using ClusterManagement.Engine.Nodes;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Backup;

/// <summary>
/// Archives what a node needs to be rebuilt: Kubernetes and kubelet configuration, the engine's
/// configuration and drop-ins, the installed package versions and, on a control plane, an etcd
/// snapshot. The archive holds the cluster CA key, admin.conf and with etcd every Secret, so it is
/// private on both ends: staged by root under umask 077 in a folder of mktemp's (0700), streamed
/// over the node's verified SSH connection into a local file that is owner-only from its first
/// byte, checked against the node's SHA-256, and removed from the node whatever happened.
/// </summary>
internal static partial class NodeBackupService
{
    public static readonly string[] Paths =
    [
        "/etc/kubernetes",
        "/var/lib/kubelet/config.yaml",
        "/var/lib/kubelet/kubeadm-flags.env",
        "/etc/default/kubelet",
        "/etc/systemd/system/kubelet.service.d",
        "/etc/docker",
        "/etc/systemd/system/docker.service.d",
        "/etc/systemd/system/containerd.service.d",
        "/etc/containerd",
    ];

    /// <summary>The node's staging folder, as mktemp names it; anything else is not removed with rm -rf.</summary>
    private static readonly System.Text.RegularExpressions.Regex StageName = new(@"^/tmp/clustermanagement-backup\.[A-Za-z0-9]{10}$");

    /// <summary>Every root script of a backup starts here: nothing it writes may be readable by other users.</summary>
    internal const string PrivateUmask = "umask 077";

    /// <summary>How often, and how far apart, a lost connection is opened again to remove the node's copy.</summary>
    private const int CleanupAttempts = 3;

    private static readonly TimeSpan CleanupRetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where a backup of a node read through <paramref name="context"/> goes: the destination itself for a command
    /// of one context (as it always was), a folder per context in it when several are in play, since node names are
    /// unique only within a cluster (two clusters' worker-1 backed up in the same second would name the same file).
    /// </summary>
    public static string FolderFor(string destination, string? context) =>
        context is null ? destination : Path.Combine(destination, ContextFolderName(context));

    /// <summary>The longest folder name made of a context name; longer ones keep their start and a hash of the whole name.</summary>
    internal const int MaxContextFolderName = 120;

    /// <summary>
    /// A context name as one folder name. Context names are free text ('/', ':', '@', '..', spaces), and two different
    /// ones must never share a folder: letters, digits, '-' and '_' stay, a '.' stays unless first or last (no '.',
    /// '..' or hidden folder, no name Windows trims), everything else becomes %XX of its UTF-8 bytes ('%' too), so the
    /// name reads back to exactly one context. A Windows device name (con, nul, com1 ...) gets its first letter escaped.
    /// </summary>
    internal static string ContextFolderName(string context)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(context);
        var name = new System.Text.StringBuilder(bytes.Length);
        var deviceName = DeviceName().IsMatch(context);
        for (var i = 0; i < bytes.Length; i++)
        {
            var c = (char)bytes[i];
            var kept = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && i > 0 && i < bytes.Length - 1);
            if (kept && !(i == 0 && deviceName))
            {
                name.Append(c);
            }
            else
            {
                name.Append('%').Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (name.Length <= MaxContextFolderName)
        {
            return name.ToString();
        }

        // '~' is always escaped above, so a shortened name never equals a whole one; the start stays readable.
        var hash = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var start = name.ToString(0, MaxContextFolderName - hash.Length - 1);
        var cut = start.LastIndexOf('%');
        return (cut >= start.Length - 2 ? start[..cut] : start) + "~" + hash;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?\z", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex DeviceName();

    public static async Task<NodeBackup> CreateAsync(
        NodeConnector connector, ClusterNode clusterNode, string destinationFolder, bool includeEtcd, TimeSpan timeout, IOperationLog log, CancellationToken cancellationToken)
    {
        var node = clusterNode.Name;
        using var shell = await connector.ConnectAsync(clusterNode, cancellationToken).ConfigureAwait(false);
        var created = DateTime.UtcNow;
        var fileName = $"{node}-{created:yyyyMMddTHHmmssZ}.tar.gz";
        var localPath = Path.Combine(destinationFolder, fileName);
        if (File.Exists(localPath))
        {
            throw new ClusterException(ClusterErrors.BackupExists, $"{localPath} already exists; the module never overwrites a backup.", localPath);
        }

        var stage = await CreateStageAsync(shell, timeout, cancellationToken).ConfigureAwait(false);
        var partial = Path.Combine(destinationFolder, $".{fileName}.{Guid.NewGuid():N}.partial");
        var stopped = false;
        try
        {
            if (includeEtcd)
            {
                log.Verbose($"Taking an etcd snapshot on {node}.");
                await shell.SudoCheckedAsync(EtcdSnapshotScript(stage), timeout, "etcdctl snapshot save", cancellationToken).ConfigureAwait(false);
            }

            var remoteHash = (await shell.SudoCheckedAsync(ArchiveScript(stage), timeout, "Archiving the node's configuration", cancellationToken).ConfigureAwait(false)).Trim();
            PrivateFiles.CreateFolder(destinationFolder);
            string localHash;
            await using (var file = PrivateFiles.CreateNew(partial))
            {
                localHash = await shell.SudoReadFileAsync(ArchivePath(stage), file, timeout, cancellationToken).ConfigureAwait(false);
            }

            if (!string.Equals(localHash, remoteHash, StringComparison.Ordinal))
            {
                throw new ClusterException(ClusterErrors.BackupChecksumMismatch, $"The archive downloaded from {node} does not match the node's checksum (node: {remoteHash}, received: {localHash}); no backup was kept.",
                    node);
            }

            File.Move(partial, localPath, overwrite: false);
        }
        catch (Exception e)
        {
            // A partial or unverified download is no backup; the folder itself may not exist yet.
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }

            stopped = e is OperationCanceledException && cancellationToken.IsCancellationRequested;
            throw;
        }
        finally
        {
            var removed = await RemoveStageAsync(shell, connector, clusterNode, stage, timeout, log).ConfigureAwait(false);
            if (stopped)
            {
                // Ctrl+C: no backup object comes back, so the warning says what was left where.
                log.Warning($"Stopped backing up {node}: no backup and no partial file was kept in {destinationFolder}; "
                    + (removed ? $"the staged copy {stage} was removed from the node." : $"the staged copy {stage} on the node could not be removed (see the warning before)."));
            }
        }

        var (files, etcd) = Count(localPath);
        await using var stream = File.OpenRead(localPath);
        var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
        return new NodeBackup
        {
            Node = node,
            Path = localPath,
            Files = files,
            Bytes = stream.Length,
            Sha256 = hash,
            EtcdSnapshot = etcd,
            Created = created,
        };
    }

    /// <summary>
    /// Removes the node's copy whatever ended the backup. The copy holds the cluster's keys, so a connection
    /// lost on the way (sshd restarted, the network gone) is opened again to remove it; only when that fails
    /// too is the admin told to remove it by hand. Never throws: the backup's own error is the one to report.
    /// Returns whether the copy is gone.
    /// </summary>
    private static async Task<bool> RemoveStageAsync(NodeShell shell, NodeConnector connector, ClusterNode node, string stage, TimeSpan timeout, IOperationLog log)
    {
        var remove = $"rm -rf -- {NodeShell.Quote(stage)}";
        ClusterException? lastError = null;
        for (var attempt = 0; attempt <= CleanupAttempts; attempt++)
        {
            try
            {
                if (attempt == 0)
                {
                    await shell.SudoCheckedAsync(remove, timeout, $"Removing {stage}", CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(CleanupRetryDelay).ConfigureAwait(false);
                    using var again = await connector.ConnectAsync(node, CancellationToken.None).ConfigureAwait(false);
                    await again.SudoCheckedAsync(remove, timeout, $"Removing {stage}", CancellationToken.None).ConfigureAwait(false);
                    log.Verbose($"{node.Name}: the connection was lost during the backup; removed {stage} over a new one.");
                }

                return true;
            }
            catch (ClusterException e) when (e.Kind is ClusterErrorKind.Unreachable or ClusterErrorKind.Timeout)
            {
                lastError = e;
            }
            catch (ClusterException e)
            {
                lastError = e;
                break;
            }
        }

        log.Warning($"The staged archive {stage} on {node.Name} could not be removed: {lastError?.Message} It holds the cluster's keys: remove it by hand.");
        return false;
    }

    /// <summary>mktemp makes the folder 0700 with a name nobody can claim first, unlike a path the module would choose.</summary>
    private static async Task<string> CreateStageAsync(NodeShell shell, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stage = (await shell.SudoCheckedAsync($"{PrivateUmask}; mktemp -d /tmp/clustermanagement-backup.XXXXXXXXXX", timeout, "Creating the backup's staging folder", cancellationToken).ConfigureAwait(false)).Trim();
        if (!StageName.IsMatch(stage))
        {
            throw new ClusterException(ClusterErrors.NodeCommandFailed, $"mktemp on {shell.Target} answered '{stage}' instead of a staging folder.", shell.Target.Host);
        }

        return stage;
    }

    private static string ArchivePath(string stage) => $"{stage}/backup.tar.gz";

    /// <summary>Collects the files into the stage's content folder (beside an etcd snapshot taken before), archives them and prints the archive's SHA-256.</summary>
    internal static string ArchiveScript(string stage)
    {
        var paths = string.Join(' ', Paths.Select(NodeShell.Quote));
        var content = NodeShell.Quote($"{stage}/content");
        var archive = NodeShell.Quote(ArchivePath(stage));
        return $$"""
            {{PrivateUmask}}
            set -e
            content={{content}}
            mkdir -p "$content/host"
            for p in {{paths}}; do
              if [ -e "$p" ]; then mkdir -p "$content/host$(dirname "$p")"; cp -a "$p" "$content/host$(dirname "$p")/"; fi
            done
            if command -v dpkg-query >/dev/null; then dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n' > "$content/packages.tsv";
            else rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n' > "$content/packages.tsv"; fi
            (apt-mark showhold 2>/dev/null || true) > "$content/held-packages.txt"
            tar -C "$content" -czf {{archive}} .
            sha256sum {{archive}} | cut -d ' ' -f 1
            """;
    }

    /// <summary>
    /// A kubeadm control plane serves etcd as a static pod with client certificates under
    /// /etc/kubernetes/pki/etcd; a packaged etcd runs as the etcd service and names its endpoint in
    /// /etc/default/etcd. A node with neither has no etcd to snapshot even when etcdctl is installed,
    /// and etcdctl would wait for a server that never answers, so that is refused up front.
    /// </summary>
    internal static string EtcdSnapshotScript(string stage) => $$"""
        {{PrivateUmask}}
        set -e
        command -v etcdctl >/dev/null || { echo 'etcdctl is not installed: this is not a control-plane node with etcd' >&2; exit 3; }
        if [ ! -e /etc/kubernetes/manifests/etcd.yaml ] && ! systemctl is-active --quiet etcd; then
          echo 'etcd does not run on this node (no kubeadm etcd manifest, no active etcd service): this is not a control-plane node with etcd' >&2; exit 3
        fi
        mkdir -p {{NodeShell.Quote(stage + "/content/etcd")}}
        export ETCDCTL_API=3
        if [ -z "${ETCDCTL_ENDPOINTS:-}" ] && [ -r /etc/default/etcd ]; then
          ETCDCTL_ENDPOINTS=$(. /etc/default/etcd; echo "${ETCDCTL_ENDPOINTS:-$ETCD_ADVERTISE_CLIENT_URLS}")
        fi
        endpoints="${ETCDCTL_ENDPOINTS:-https://127.0.0.1:2379}"
        # etcdctl refuses a flag whose environment variable is also set.
        unset ETCDCTL_ENDPOINTS
        set -- --endpoints "$endpoints" --dial-timeout 10s
        # kubeadm's stacked etcd serves TLS and its certs phase writes the healthcheck client; a plain-HTTP
        # etcd needs no client files, even where a control-plane join has saved the etcd CA.
        if [ "${endpoints#https://}" != "$endpoints" ] && [ -r /etc/kubernetes/pki/etcd/ca.crt ]; then
          set -- "$@" --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key
        fi
        etcdctl "$@" snapshot save {{NodeShell.Quote(stage + "/content/etcd/snapshot.db")}}
        """;

    private static (int Files, bool Etcd) Count(string archive)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var files = 0;
        var etcd = false;
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                files++;
                etcd |= entry.Name.TrimStart('.', '/') == "etcd/snapshot.db";
            }
        }

        return (files, etcd);
    }
}
