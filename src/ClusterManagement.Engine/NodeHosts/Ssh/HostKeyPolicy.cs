using ClusterManagement.Diagnostics;
using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Ssh;

/// <summary>What the policy decided about a presented host key.</summary>
internal enum HostKeyVerdict
{
    /// <summary>known_hosts already holds this key for the host.</summary>
    Known,

    /// <summary>Not in known_hosts, but it is the fingerprint in the module's access object, which only cluster admins can write (a second admin's first visit).</summary>
    RecordedInCluster,

    /// <summary>New to this machine and trusted once because -AcceptNewHostKey was given.</summary>
    AcceptedNew,
}

/// <summary>
/// Strict host key checking, as OpenSSH's StrictHostKeyChecking=yes, with two ways to trust a new
/// host: -AcceptNewHostKey (trust on first use, recorded in known_hosts) or the fingerprint the
/// module recorded in kube-system when it added the node, so a second admin or a pipeline can reach
/// a node without copying anyone's files. Nothing a Node says about itself is trusted. A key that
/// differs from a known one is always refused, and so is a key marked @revoked. Host certificates are
/// not verified: a host under @cert-authority is refused until its plain key is recorded, never
/// trusted some other way.
/// </summary>
internal sealed class HostKeyPolicy(KnownHosts knownHosts, bool acceptNewHostKey, string? recordedFingerprint)
{
    public HostKeyVerdict Verify(string host, int port, string keyType, byte[] presentedKey)
    {
        var presented = SshFingerprint.Of(presentedKey);
        var entries = knownHosts.Lookup(host, port);
        if (entries.Revoked.FirstOrDefault(r => r.Key.Blob.AsSpan().SequenceEqual(presentedKey)) is { } revoked)
        {
            throw new ClusterException(ClusterErrors.HostKeyRevoked, $"The host key of {KnownHosts.HostPattern(host, port)} ({presented}, {keyType}) is REVOKED by line {revoked.Line} of {knownHosts.Path} (@revoked). " +
                "A revoked key is never accepted, whatever else the file or the Node says: give the host a new key and record that one.",
                host);
        }

        var known = entries.Keys;
        if (known.Any(k => k.Blob.AsSpan().SequenceEqual(presentedKey)))
        {
            return HostKeyVerdict.Known;
        }

        if (known.Count > 0)
        {
            throw new ClusterException(ClusterErrors.HostKeyChanged, $"The host key of {KnownHosts.HostPattern(host, port)} has CHANGED: expected {string.Join(" or ", known.Select(k => $"{k.Fingerprint} ({k.KeyType})"))}, " +
                $"presented {presented} ({keyType}). Someone may be intercepting the connection, or the host was reinstalled. " +
                $"If the change is expected, remove the old entry from {knownHosts.Path} (ssh-keygen -R \"{KnownHosts.HostPattern(host, port)}\").",
                host);
        }

        if (entries.Authorities.Count > 0)
        {
            // Trusting the plain key here, on first use or from the Node, would bypass the certificate
            // authority the admin chose for this host.
            var pattern = KnownHosts.HostPattern(host, port);
            throw new ClusterException(ClusterErrors.HostCertificateUnsupported, $"{pattern} is covered by @cert-authority on line {string.Join(", ", entries.Authorities.Select(a => a.Line))} of {knownHosts.Path}, but the module does not verify host certificates: " +
                $"it checks plain host keys only, and the host presented {presented} ({keyType}). If that is the host's key (ssh-keygen -lf /etc/ssh/ssh_host_{keyType.Replace("ssh-", string.Empty)}_key.pub on the host), " +
                $"add this line to {knownHosts.Path} and run again: {pattern} {keyType} {Convert.ToBase64String(presentedKey)}",
                host);
        }

        if (recordedFingerprint is not null)
        {
            if (!SshFingerprint.Matches(recordedFingerprint, presentedKey))
            {
                throw new ClusterException(ClusterErrors.HostKeyChanged, $"The host key of {KnownHosts.HostPattern(host, port)} does not match the one recorded in kube-system/clustermanagement-node-access: expected {SshFingerprint.Normalize(recordedFingerprint)}, presented {presented} ({keyType}).",
                    host);
            }

            knownHosts.Add(host, port, new KnownHostKey(keyType, presentedKey));
            return HostKeyVerdict.RecordedInCluster;
        }

        if (acceptNewHostKey)
        {
            knownHosts.Add(host, port, new KnownHostKey(keyType, presentedKey));
            return HostKeyVerdict.AcceptedNew;
        }

        throw new ClusterException(ClusterErrors.HostKeyUnknown, $"The host key of {KnownHosts.HostPattern(host, port)} is not known ({presented}, {keyType}). Check it out of band " +
            $"(ssh-keygen -lf /etc/ssh/ssh_host_{keyType.Replace("ssh-", string.Empty)}_key.pub on the host), then run again with -AcceptNewHostKey to trust and record it in {knownHosts.Path}.",
            host);
    }
}
