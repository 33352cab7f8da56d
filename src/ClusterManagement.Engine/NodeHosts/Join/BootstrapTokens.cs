using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ClusterManagement.Diagnostics;
using ClusterManagement.Engine.Kubernetes;
using ClusterManagement.NodeHosts;
using k8s;
using k8s.Models;

namespace ClusterManagement.Engine.NodeHosts.Join;

/// <summary>kubeadm bootstrap tokens: Secrets bootstrap-token-&lt;id&gt; in kube-system, "&lt;id&gt;.&lt;secret&gt;" on the wire.</summary>
internal static class BootstrapTokens
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
            // data, not stringData: what the bootstrap authenticator reads, on any API server.
            Data = new Dictionary<string, string>
            {
                ["description"] = description,
                ["token-id"] = id,
                ["token-secret"] = secret,
                ["expiration"] = DateTime.UtcNow.Add(lifetime).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["usage-bootstrap-authentication"] = "true",
                ["usage-bootstrap-signing"] = "true",
                ["auth-extra-groups"] = "system:bootstrappers:kubeadm:default-node-token",
            }.ToDictionary(e => e.Key, e => Encoding.UTF8.GetBytes(e.Value)),
        };
        await KubeApi.Call(
            ct => connection.Client.CoreV1.CreateNamespacedSecretAsync(body, "kube-system", cancellationToken: ct),
            new ResourceRef("Secret", body.Metadata.Name, "kube-system"),
            cancellationToken,
            idempotent: false).ConfigureAwait(false);
        return $"{id}.{secret}";
    }

    /// <summary>
    /// Deletes the token's Secret, so the token dies with the join instead of at its expiry (the cluster's
    /// bootstrap signer then drops its cluster-info signature). Runs after the join however it ended, so it
    /// does not take the join's cancellation; a failure is reported, never thrown over the join's own outcome.
    /// </summary>
    public static async Task DeleteAsync(ClusterConnection connection, string token, IOperationLog log)
    {
        var name = $"bootstrap-token-{token.Split('.')[0]}";
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await KubeApi.Call(ct => connection.Client.CoreV1.DeleteNamespacedSecretAsync(name, "kube-system", cancellationToken: ct), new ResourceRef("Secret", name, "kube-system"), cleanup.Token).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind != ClusterErrorKind.NotFound)
        {
            log.Warning($"The bootstrap token Secret kube-system/{name} could not be deleted ({e.Message}); it stays valid until its expiry. Delete it: kubectl -n kube-system delete secret {name}");
        }
        catch (OperationCanceledException)
        {
            log.Warning($"The bootstrap token Secret kube-system/{name} could not be deleted in 30 s; it stays valid until its expiry. Delete it: kubectl -n kube-system delete secret {name}");
        }
        catch (ClusterException)
        {
        }
    }

    /// <summary>sha256:&lt;hex&gt; of the cluster CA's SubjectPublicKeyInfo: what kubeadm's --discovery-token-ca-cert-hash pins.</summary>
    public static string CaCertHash(ClusterConnection connection)
    {
        var ca = connection.CertificateAuthorities?.Cast<X509Certificate2>().FirstOrDefault()
            ?? throw new ClusterException(ClusterErrors.ClusterCaUnknown, $"The kubeconfig context {connection.ContextName} names no certificate authority, so a joining node could not verify the API server. Use a context with certificate-authority(-data).");
        return "sha256:" + Convert.ToHexString(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo())).ToLowerInvariant();
    }

    /// <summary>Takes a token out of text that may echo it (kubeadm's error messages do).</summary>
    public static string Redact(string text, string token) =>
        text.Replace(token, "<bootstrap-token>", StringComparison.Ordinal).Replace(token.Split('.')[1], "<redacted>", StringComparison.Ordinal);
}
