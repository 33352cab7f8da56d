using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Certificates;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>
/// The approver kube-controller-manager runs for kubeadm: only node client requests from the bootstrap
/// group, with exactly the kubelet's usages, are approved and signed; kubectl get csr shows each as it is.
/// </summary>
public sealed class CertificateSigningRequestTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static JsonObject Request(string name, string node, params string[] usages)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = new CertificateRequest($"O=system:nodes, CN=system:node:{node}", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)),
                ["signerName"] = CertificatesModule.KubeletClientSigner,
                ["usages"] = new JsonArray(usages.Select(u => (JsonNode)JsonValue.Create(u)).ToArray()),
            },
        };
    }

    [Fact]
    public async Task OnlyTheKubeletShapeFromTheBootstrapGroupIsApprovedAndKubectlShowsEachState()
    {
        string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        fixture.Emulator.Store.Create(CoreKinds.Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bootstrap-token-csrtok", ["namespace"] = "kube-system" },
            ["type"] = "bootstrap.kubernetes.io/token",
            ["data"] = new JsonObject
            {
                ["token-id"] = Base64("csrtok"), ["token-secret"] = Base64("0123456789abcdef"), ["usage-bootstrap-authentication"] = Base64("true"),
                ["auth-extra-groups"] = Base64(CertificatesModule.KubeadmNodeTokenGroup),
            },
        });
        using var http = fixture.Emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = new("Bearer", "csrtok.0123456789abcdef");
        using var bootstrap = new ApiClient(http);
        const string Path = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

        var (kubelet, _) = await bootstrap.PostAsync(Path, Request("csr-kubelet", "csr-1", "digital signature", "client auth"));
        var (serving, _) = await bootstrap.PostAsync(Path, Request("csr-serving", "csr-1", "digital signature", "client auth", "server auth"));
        var (byAdmin, _) = await fixture.Admin.PostAsync(Path, Request("csr-admin", "csr-1", "digital signature", "client auth"));
        await Eventually.IsTrueAsync(() => fixture.Emulator.Store.Get(CertificatesModule.CertificateSigningRequests, null, "csr-kubelet")!["status"]?["certificate"] is not null, "the kubelet request to be signed");
        // The controller visits every request on each pass: the other two had their chance by now.
        await Task.Delay(600);
        var get = await Kubectl.RunAsync(fixture.Emulator.KubeconfigPath, "get", "csr", "csr-kubelet", "csr-serving", "csr-admin");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created), (kubelet, serving, byAdmin));
        Assert.Equal(0, get.ExitCode);
        var lines = get.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION"], lines[0]);
        Assert.Equal(["csr-kubelet", CertificatesModule.KubeletClientSigner, "system:bootstrap:csrtok", "<none>", "Approved,Issued"], lines[1].Where((_, i) => i != 1));
        Assert.Equal(["csr-serving", CertificatesModule.KubeletClientSigner, "system:bootstrap:csrtok", "<none>", "Pending"], lines[2].Where((_, i) => i != 1));
        Assert.Equal(["csr-admin", CertificatesModule.KubeletClientSigner, "admin", "<none>", "Pending"], lines[3].Where((_, i) => i != 1));
    }
}
