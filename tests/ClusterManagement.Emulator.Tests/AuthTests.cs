using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Certificates;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

public sealed class AuthTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task UnknownTokenIsUnauthorized()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient("sandbox-badtoken"));

        var (status, body) = await api.GetAsync("/api/v1/nodes");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Unauthorized", body!["reason"]!.GetValue<string>());
        Assert.Equal(401, body["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReadonlyReadsButEveryWriteIsForbidden()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient("sandbox-readonly"));

        var (read, _) = await api.GetAsync("/api/v1/nodes");
        var (patch, patchStatus) = await api.PatchAsync("/api/v1/nodes/worker-1", """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        var (create, createStatus) = await api.PostAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });

        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(HttpStatusCode.Forbidden, patch);
        Assert.Equal("Forbidden", patchStatus!["reason"]!.GetValue<string>());
        Assert.Equal("nodes \"worker-1\" is forbidden: User \"readonly\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope",
            patchStatus["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, create);
        Assert.Equal("configmaps is forbidden: User \"readonly\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"",
            createStatus!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task TeamATokenHasFullAccess()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient("sandbox-token"));

        var (status, _) = await api.PostAsync("/api/v1/namespaces/team-a/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "from-team-a" } });

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task BootstrapTokenMayOnlyAskForAKubeletCertificateWhichThenWritesTheNode()
    {
        fixture.Emulator.Store.Create(CoreKinds.Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bootstrap-token-abcdef", ["namespace"] = "kube-system" },
            ["type"] = "bootstrap.kubernetes.io/token",
            ["data"] = new JsonObject
            {
                ["token-id"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("abcdef")),
                ["token-secret"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef")),
                ["auth-extra-groups"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(CertificatesModule.KubeadmNodeTokenGroup)),
                ["usage-bootstrap-authentication"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("true")),
            },
        });
        using var http = fixture.Emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = new("Bearer", "abcdef.0123456789abcdef");
        using var api = new ApiClient(http);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = new CertificateRequest("O=system:nodes, CN=system:node:joined-1", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

        var (node, status) = await api.PostAsync("/api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "joined-1" } });
        var (configMap, _) = await api.PostAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });
        var (csr, created) = await api.PostAsync("/apis/certificates.k8s.io/v1/certificatesigningrequests", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "node-csr-joined-1" },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)),
                ["signerName"] = CertificatesModule.KubeletClientSigner,
                ["usages"] = new JsonArray("digital signature", "client auth"),
                ["username"] = "someone-else",
            },
        });
        string? issued = null;
        for (var attempt = 0; attempt < 100 && issued is null; attempt++)
        {
            var (_, read) = await api.GetAsync("/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-joined-1");
            issued = read?["status"]?["certificate"]?.GetValue<string>();
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.Forbidden, node);
        Assert.Contains("User \"system:bootstrap:abcdef\"", status!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, configMap);
        Assert.Equal(HttpStatusCode.Created, csr);
        Assert.Equal("system:bootstrap:abcdef", created!["spec"]!["username"]!.GetValue<string>());
        Assert.NotNull(issued);
        using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(issued)));
        using var withKey = certificate.CopyWithPrivateKey(key);
        using var exportable = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null };
        handler.ClientCertificates.Add(exportable);
        using var kubelet = new ApiClient(new HttpClient(handler) { BaseAddress = new Uri(fixture.Emulator.Url) });
        var (registered, _) = await kubelet.PostAsync("/api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "joined-1" } });
        // A kubelet writes its Node (annotations included) but nothing in kube-system: why the module keeps host access data there.
        var (accessData, _) = await kubelet.PostAsync("/api/v1/namespaces/kube-system/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "clustermanagement-node-access" } });
        Assert.Equal(HttpStatusCode.Created, registered);
        Assert.Equal(HttpStatusCode.Forbidden, accessData);
    }

    [Fact]
    public async Task CertificateRequestOutsideTheKubeletShapeStaysPending()
    {
        using var api = new ApiClient(fixture.Emulator.CreateClient());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = new CertificateRequest("O=system:masters, CN=system:node:evil", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

        var (csr, _) = await api.PostAsync("/apis/certificates.k8s.io/v1/certificatesigningrequests", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "node-csr-evil" },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(pem)),
                ["signerName"] = CertificatesModule.KubeletClientSigner,
                ["usages"] = new JsonArray("digital signature", "client auth"),
            },
        });
        await Task.Delay(1000);
        var (_, read) = await api.GetAsync("/apis/certificates.k8s.io/v1/certificatesigningrequests/node-csr-evil");

        Assert.Equal(HttpStatusCode.Created, csr);
        Assert.Null(read!["status"]?["certificate"]);
    }

    [Fact]
    public async Task ControlApiAcceptsOnlyTheControlToken()
    {
        using var admin = fixture.Emulator.CreateClient();
        var (denied, _) = await new ApiClient(admin).GetAsync("/_emulator/status");

        using var control = fixture.Emulator.CreateClient("sandbox-badtoken");
        control.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Emulator.Credentials.ControlToken);
        var (allowed, body) = await new ApiClient(control).GetAsync("/_emulator/status");

        Assert.Equal(HttpStatusCode.Unauthorized, denied);
        Assert.Equal(HttpStatusCode.OK, allowed);
        Assert.Equal(fixture.Emulator.Url, body!["url"]!.GetValue<string>());
    }
}
