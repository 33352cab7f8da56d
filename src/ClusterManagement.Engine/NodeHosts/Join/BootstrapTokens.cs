using System.Security.Cryptography;
using ClusterManagement.Diagnostics;
using ClusterManagement.Kubernetes;
using k8s;
using k8s.Models;

namespace ClusterManagement.NodeHosts.Join;

/// <summary>kubeadm bootstrap tokens: Secrets bootstrap-token-&lt;id&gt; in kube-system, "&lt;id&gt;.&lt;secret&gt;" on the wire.</summary>
public static class BootstrapTokens
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static async Task<string> CreateAsync(ClusterConnection connection, string description, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var id = RandomNumberGenerator.GetString(Alphabet, 6);
        var secret = RandomNumberGenerator.GetString(Alphabet, 16);
        var body = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = $"bootstrap-token-{id}", NamespaceProperty = "kube-system" },
            Type = "bootstrap.kubernetes.io/token",
            StringData = new Dictionary<string, string>
            {
                ["description"] = description,
                ["token-id"] = id,
                ["token-secret"] = secret,
                ["expiration"] = DateTime.UtcNow.Add(lifetime).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["usage-bootstrap-authentication"] = "true",
                ["usage-bootstrap-signing"] = "true",
                ["auth-extra-groups"] = "system:bootstrappers:kubeadm:default-node-token",
            },
        };
        await KubeApi.Call(
            ct => connection.Client.CoreV1.CreateNamespacedSecretAsync(body, "kube-system", cancellationToken: ct),
            new ResourceRef("Secret", body.Metadata.Name, "kube-system"),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);
        return $"{id}.{secret}";
    }

    /// <summary>sha256:&lt;hex&gt; of the cluster CA's SubjectPublicKeyInfo: what kubeadm's --discovery-token-ca-cert-hash pins.</summary>
    public static string CaCertHash(ClusterConnection connection)
    {
        var ca = connection.CertificateAuthorities?.Cast<System.Security.Cryptography.X509Certificates.X509Certificate2>().FirstOrDefault()
            ?? throw new ClusterException(
                ClusterErrorKind.ConfigurationInvalid,
                "ClusterCaUnknown",
                $"The kubeconfig context {connection.ContextName} names no certificate authority, so a joining node could not verify the API server. Use a context with certificate-authority(-data).");
        return "sha256:" + Convert.ToHexString(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo())).ToLowerInvariant();
    }

    /// <summary>Takes a token out of text that may echo it (kubeadm's error messages do).</summary>
    public static string Redact(string text, string token) =>
        text.Replace(token, "<bootstrap-token>", StringComparison.Ordinal).Replace(token.Split('.')[1], "<redacted>", StringComparison.Ordinal);
}
