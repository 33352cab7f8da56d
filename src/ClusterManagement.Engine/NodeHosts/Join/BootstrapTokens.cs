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
    /// Deletes the token's Secret and the cluster-info signature made for it, so the token dies with the
    /// join instead of at its expiry. Runs after the join however it ended, so it does not take the
    /// join's cancellation; a failure is reported, never thrown over the join's own outcome.
    /// </summary>
    public static async Task DeleteAsync(ClusterConnection connection, string token, IOperationLog log)
    {
        var id = token.Split('.')[0];
        var name = $"bootstrap-token-{id}";
        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await KubeApi.Call(ct => connection.Client.CoreV1.DeleteNamespacedSecretAsync(name, "kube-system", cancellationToken: ct), new ResourceRef("Secret", name, "kube-system"), cleanup.Token).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Kind != ClusterErrorKind.NotFound)
        {
            log.Warning($"The bootstrap token Secret kube-system/{name} could not be deleted ({e.Message}); it stays valid until its expiry. Delete it: kubectl -n kube-system delete secret {name}");
            return;
        }
        catch (OperationCanceledException)
        {
            log.Warning($"The bootstrap token Secret kube-system/{name} could not be deleted in 30 s; it stays valid until its expiry. Delete it: kubectl -n kube-system delete secret {name}");
            return;
        }
        catch (ClusterException)
        {
        }

        var patch = new V1Patch($"{{\"data\":{{\"jws-kubeconfig-{id}\":null}}}}", V1Patch.PatchType.MergePatch);
        try
        {
            await KubeApi.Call(ct => connection.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "cluster-info", "kube-public", cancellationToken: ct), new ResourceRef("ConfigMap", "cluster-info", "kube-public"), cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ClusterException or OperationCanceledException)
        {
            // The signature is worthless without the deleted token; on kubeadm clusters the bootstrap signer removes it too.
            log.Verbose($"The cluster-info signature of token {id} was not removed: {e.Message}");
        }
    }

    /// <summary>
    /// Makes sure kube-public/cluster-info carries a detached JWS for this token, which kubeadm join's
    /// token discovery checks. On a kubeadm cluster the bootstrap signer controller writes the same
    /// (deterministic) signature; clusters without that controller get it from here. A cluster that has
    /// no cluster-info gets one built from this context's server and CA, as kubeadm init would create it.
    /// </summary>
    public static async Task SignClusterInfoAsync(ClusterConnection connection, string token, IOperationLog log, CancellationToken cancellationToken)
    {
        var (id, secret) = (token.Split('.')[0], token.Split('.')[1]);
        var resource = new ResourceRef("ConfigMap", "cluster-info", "kube-public");
        await Conflicts.RetryAsync<bool>(async ct =>
        {
            V1ConfigMap? info = null;
            try
            {
                info = await KubeApi.Call(c => connection.Client.CoreV1.ReadNamespacedConfigMapAsync("cluster-info", "kube-public", cancellationToken: c), resource, ct).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Kind == ClusterErrorKind.NotFound)
            {
            }

            var kubeconfig = info?.Data is { } data && data.TryGetValue("kubeconfig", out var existing) ? existing : ClusterInfoKubeconfig(connection);
            var key = $"jws-kubeconfig-{id}";
            if (info?.Data?.ContainsKey(key) == true)
            {
                return true;
            }

            var header = Base64Url(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"kid\":\"{id}\"}}"));
            using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
            var signature = Base64Url(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{header}.{Base64Url(Encoding.UTF8.GetBytes(kubeconfig))}")));
            if (info is null)
            {
                log.Verbose("The cluster has no kube-public/cluster-info; creating it from this context's server and CA.");
                var body = new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta { Name = "cluster-info", NamespaceProperty = "kube-public" },
                    Data = new Dictionary<string, string> { ["kubeconfig"] = kubeconfig, [key] = $"{header}..{signature}" },
                };
                try
                {
                    await KubeApi.Call(c => connection.Client.CoreV1.CreateNamespacedConfigMapAsync(body, "kube-public", cancellationToken: c), resource, ct, idempotent: false).ConfigureAwait(false);
                }
                catch (ClusterException e) when (e.Kind == ClusterErrorKind.AlreadyExists)
                {
                    // Another join created it first: read it again and add this token's signature to theirs.
                    throw new ClusterException(ClusterErrors.Resource.Conflict.About(resource.Kind), e.Message, e.Target, e);
                }
            }
            else
            {
                info.Data![key] = $"{header}..{signature}";
                await KubeApi.Call(c => connection.Client.CoreV1.ReplaceNamespacedConfigMapAsync(info, "cluster-info", "kube-public", cancellationToken: c), resource, ct, idempotent: false).ConfigureAwait(false);
            }

            return true;
        }, resource, log, cancellationToken).ConfigureAwait(false);
    }

    private static string ClusterInfoKubeconfig(ClusterConnection connection)
    {
        var ca = connection.CertificateAuthorities?.Cast<X509Certificate2>().FirstOrDefault()
            ?? throw new ClusterException(ClusterErrors.ClusterCaUnknown, $"The kubeconfig context {connection.ContextName} names no certificate authority.");
        var caData = Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.ExportCertificatePem()));
        return $"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {caData}\n    server: {connection.Server.TrimEnd('/')}\n  name: \"\"\nkind: Config\n";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

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
