using System.Security.Cryptography;

using ClusterManagement.NodeHosts;

namespace ClusterManagement.Engine.NodeHosts.Ssh;

/// <summary>Host key fingerprints as OpenSSH prints them (<c>ssh-keygen -lf</c>): SHA256:base64, unpadded.</summary>
internal static class SshFingerprint
{
    public static string Of(byte[] publicKeyBlob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(publicKeyBlob)).TrimEnd('=');

    /// <summary>Accepts the fingerprint with or without its "SHA256:" prefix and padding.</summary>
    public static bool Matches(string fingerprint, byte[] publicKeyBlob) =>
        string.Equals(Normalize(fingerprint), Of(publicKeyBlob), StringComparison.Ordinal);

    public static string Normalize(string fingerprint)
    {
        var body = fingerprint.StartsWith("SHA256:", StringComparison.Ordinal) ? fingerprint["SHA256:".Length..] : fingerprint;
        return "SHA256:" + body.TrimEnd('=');
    }
}
