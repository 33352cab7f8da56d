using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts.Ssh;

namespace ClusterManagement.NodeHosts.Backup;

/// <summary>
/// Archives what a node needs to be rebuilt: Kubernetes and kubelet configuration, the engine's
/// configuration and drop-ins, the installed package versions and, on a control plane, an etcd
/// snapshot. The archive is staged on the node by root, handed to the login user, downloaded
/// over SFTP and removed from the node.
/// </summary>
public static class NodeBackupService
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

    public static async Task<NodeBackup> CreateAsync(
        NodeShell shell, string node, string destinationFolder, bool includeEtcd, TimeSpan timeout, IOperationLog log, CancellationToken cancellationToken)
    {
        var created = DateTime.UtcNow;
        var fileName = $"{node}-{created:yyyyMMddTHHmmssZ}.tar.gz";
        var localPath = Path.Combine(destinationFolder, fileName);
        // Only a plain path (checked) comes back, so it is used in the scripts as it is.
        var work = await shell.TemporaryDirectoryAsync(timeout, cancellationToken).ConfigureAwait(false);
        var stage = $"{work}/stage";
        var remoteArchive = $"{work}/backup.tar.gz";
        try
        {
            if (includeEtcd)
            {
                log.Verbose($"Taking an etcd snapshot on {node}.");
                await shell.SudoCheckedAsync(EtcdSnapshotScript(stage), timeout, "etcdctl snapshot save", cancellationToken).ConfigureAwait(false);
            }

            var paths = string.Join(' ', Paths.Select(NodeShell.Quote));
            var script = $$"""
                set -e
                mkdir -p {{stage}}/host
                for p in {{paths}}; do
                  if [ -e "$p" ]; then mkdir -p "{{stage}}/host$(dirname "$p")"; cp -a "$p" "{{stage}}/host$(dirname "$p")/"; fi
                done
                if command -v dpkg-query >/dev/null; then dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n' > {{stage}}/packages.tsv;
                else rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n' > {{stage}}/packages.tsv; fi
                (apt-mark showhold 2>/dev/null || true) > {{stage}}/held-packages.txt
                tar -C {{stage}} -czf {{remoteArchive}} .
                chown -- {{NodeShell.Quote(shell.Target.User)}} {{remoteArchive}}
                chmod 0600 {{remoteArchive}}
                # The login user downloads the archive: it may pass through the directory, not list it.
                chmod 0711 {{work}}
                """;
            await shell.SudoCheckedAsync(script, timeout, "Archiving the node's configuration", cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(destinationFolder);
            await shell.DownloadAsync(remoteArchive, localPath, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A partial download is no backup; the folder itself may not exist yet.
            if (File.Exists(localPath))
            {
                File.Delete(localPath);
            }

            throw;
        }
        finally
        {
            await shell.SudoAsync($"rm -rf {NodeShell.Quote(work)}", timeout, CancellationToken.None).ConfigureAwait(false);
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
    /// A kubeadm control plane serves etcd as a static pod with client certificates under
    /// /etc/kubernetes/pki/etcd; a packaged etcd runs as the etcd service and names its endpoint in
    /// /etc/default/etcd. A node with neither has no etcd to snapshot even when etcdctl is installed,
    /// and etcdctl would wait for a server that never answers, so that is refused up front.
    /// </summary>
    private static string EtcdSnapshotScript(string stage) => $$"""
        set -e
        command -v etcdctl >/dev/null || { echo 'etcdctl is not installed: this is not a control-plane node with etcd' >&2; exit 3; }
        if [ ! -e /etc/kubernetes/manifests/etcd.yaml ] && ! systemctl is-active --quiet etcd; then
          echo 'etcd does not run on this node (no kubeadm etcd manifest, no active etcd service): this is not a control-plane node with etcd' >&2; exit 3
        fi
        mkdir -p {{stage}}/etcd
        export ETCDCTL_API=3
        if [ -z "${ETCDCTL_ENDPOINTS:-}" ] && [ -r /etc/default/etcd ]; then
          ETCDCTL_ENDPOINTS=$(. /etc/default/etcd; echo "${ETCDCTL_ENDPOINTS:-$ETCD_ADVERTISE_CLIENT_URLS}")
        fi
        endpoints="${ETCDCTL_ENDPOINTS:-https://127.0.0.1:2379}"
        # etcdctl refuses a flag whose environment variable is also set.
        unset ETCDCTL_ENDPOINTS
        set -- --endpoints "$endpoints" --dial-timeout 10s
        if [ -r /etc/kubernetes/pki/etcd/ca.crt ]; then
          set -- "$@" --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key
        fi
        etcdctl "$@" snapshot save {{stage}}/etcd/snapshot.db
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
