using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Admission;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Certificates;

/// <summary>
/// certificates.k8s.io/v1 CertificateSigningRequests and the kubelet TLS bootstrap around them: the
/// API server records who asked (spec.username/groups), the controller manager approves kubelet client
/// requests from kubeadm's bootstrap token group and signs them with the cluster CA. A joined kubelet
/// then authenticates with its own certificate, so its bootstrap token can be deleted.
/// </summary>
public sealed class CertificatesModule : IEmulatorModule
{
    public const string KubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";

    /// <summary>The group kubeadm's bootstrap tokens carry (auth-extra-groups) and its auto-approval binds.</summary>
    public const string KubeadmNodeTokenGroup = "system:bootstrappers:kubeadm:default-node-token";

    public static readonly ResourceKind CertificateSigningRequests = new()
    {
        Group = "certificates.k8s.io", Version = "v1", Plural = "certificatesigningrequests", Singular = "certificatesigningrequest",
        Kind = "CertificateSigningRequest", Namespaced = false, ShortNames = ["csr"], Table = new CertificateSigningRequestTable(),
        HasGeneration = false,
    };

    public void Register(EmulatorBuilder builder) => builder
        .AddKind(CertificateSigningRequests)
        .AddAdmission(new RequesterAdmission())
        .AddController(new KubeletCsrController());

    /// <summary>As the API server: who asked is the authenticated user, whatever the body claims; request and signer are required.</summary>
    private sealed class RequesterAdmission : IAdmissionPlugin
    {
        public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
        {
            if (request.Kind != CertificateSigningRequests || request.Operation != AdmissionOperation.Create || request.Object is not { } csr)
            {
                return ValueTask.CompletedTask;
            }

            var spec = csr["spec"] as JsonObject ?? throw Status.Invalid(request.Kind, request.Name, ("spec", "FieldValueRequired", "Required value"));
            if (string.IsNullOrEmpty(spec.StringAt("request")))
            {
                throw Status.Invalid(request.Kind, request.Name, ("spec.request", "FieldValueRequired", "Required value"));
            }

            if (string.IsNullOrEmpty(spec.StringAt("signerName")))
            {
                throw Status.Invalid(request.Kind, request.Name, ("spec.signerName", "FieldValueRequired", "Required value"));
            }

            spec["username"] = request.User.Name;
            spec["groups"] = new JsonArray(request.User.Groups.Select(g => (JsonNode)JsonValue.Create(g)).ToArray());
            csr.Remove("status");
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// csrapproving + csrsigning for kubelet client certificates: approves a request from the kubeadm
    /// token group whose subject is exactly O=system:nodes, CN=system:node:&lt;name&gt; with client auth
    /// usages, and signs it. Anything else stays pending, as an unapproved request does.
    /// </summary>
    private sealed class KubeletCsrController : IEmulatorController
    {
        public string Name => "csr-kubelet-client";

        public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
        {
            while (true)
            {
                foreach (var stored in context.Store.List(CertificateSigningRequests).Items)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var csr = stored.ToJson();
                    if (csr.StringAt("status", "certificate") is not null || csr.Condition("Approved") is not null || csr.Condition("Denied") is not null
                        || Issue(csr, context) is not { } certificate)
                    {
                        continue;
                    }

                    try
                    {
                        context.Store.Mutate(CertificateSigningRequests, null, stored.Name, current =>
                        {
                            var status = current["status"] as JsonObject ?? new JsonObject();
                            status["conditions"] = new JsonArray(new JsonObject
                            {
                                ["type"] = "Approved",
                                ["status"] = "True",
                                ["reason"] = "AutoApproved",
                                ["message"] = "Auto approving kubelet client certificate after SubjectAccessReview.",
                                ["lastUpdateTime"] = context.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ"),
                            });
                            status["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate));
                            current["status"] = status;
                            return true;
                        });
                    }
                    catch (ApiException e) when (e.Code == 404)
                    {
                        // Deleted since the list.
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), context.Time, cancellationToken);
            }
        }

        private static string? Issue(JsonObject csr, EmulatorContext context)
        {
            var groups = csr.At("spec", "groups") is JsonArray g ? g.Select(n => n?.GetValue<string>()).ToList() : [];
            var usages = csr.At("spec", "usages") is JsonArray u ? u.Select(n => n?.GetValue<string>()).ToHashSet() : [];
            if (csr.StringAt("spec", "signerName") != KubeletClientSigner || !groups.Contains(KubeadmNodeTokenGroup)
                || !usages.Contains("client auth") || !usages.Contains("digital signature") || usages.Except(["client auth", "digital signature", "key encipherment"]).Any())
            {
                return null;
            }

            string pem;
            try
            {
                pem = Encoding.ASCII.GetString(Convert.FromBase64String(csr.StringAt("spec", "request")!));
                var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256);
                var subject = request.SubjectName.EnumerateRelativeDistinguishedNames().Select(r => (r.GetSingleElementType().Value, r.GetSingleElementValue())).ToList();
                var organizations = subject.Where(r => r.Value == "2.5.4.10").Select(r => r.Item2).ToList();
                var commonNames = subject.Where(r => r.Value == "2.5.4.3").Select(r => r.Item2).ToList();
                if (organizations is not ["system:nodes"] || commonNames is not [{ } cn] || !cn.StartsWith("system:node:", StringComparison.Ordinal) || cn.Length == "system:node:".Length)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
            {
                return null;
            }

            using var issued = context.Authority.SignClientRequest(pem);
            return issued.ExportCertificatePem() + "\n";
        }
    }
}
