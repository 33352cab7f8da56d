using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>cluster-info, kubeadm-config, the bootstrap signer and who may read them, as on a kubeadm cluster.</summary>
public sealed class KubeadmObjectsTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string ClusterInfoPath = "/api/v1/namespaces/kube-public/configmaps/cluster-info";

    private static ApiClient Anonymous(KubeEmulator emulator)
    {
        var http = emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = null;
        return new ApiClient(http);
    }

    private static ApiClient WithToken(KubeEmulator emulator, string token)
    {
        var http = emulator.CreateClient("sandbox-badtoken");
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return new ApiClient(http);
    }

    private static JsonObject TokenSecret(string id, string secret, DateTimeOffset? expires = null, bool authentication = true, bool signing = true)
    {
        var data = new JsonObject
        {
            ["token-id"] = Base64(id),
            ["token-secret"] = Base64(secret),
            ["auth-extra-groups"] = Base64("system:bootstrappers:kubeadm:default-node-token"),
        };
        if (authentication)
        {
            data["usage-bootstrap-authentication"] = Base64("true");
        }

        if (signing)
        {
            data["usage-bootstrap-signing"] = Base64("true");
        }

        if (expires is { } at)
        {
            data["expiration"] = Base64(at.ToString("yyyy-MM-ddTHH:mm:ssZ"));
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"bootstrap-token-{id}", ["namespace"] = "kube-system" },
            ["type"] = "bootstrap.kubernetes.io/token",
            ["data"] = data,
        };
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task AnonymousReadsClusterInfoAndNothingElse()
    {
        using var anonymous = Anonymous(fixture.Emulator);

        var (info, body) = await anonymous.GetAsync(ClusterInfoPath);
        var (config, configBody) = await anonymous.GetAsync("/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
        var (discovery, discoveryBody) = await anonymous.GetAsync("/api");
        var (version, _) = await anonymous.GetAsync("/version");

        Assert.Equal(HttpStatusCode.OK, info);
        Assert.Contains($"server: {fixture.Emulator.Url}\n", body!["data"]!["kubeconfig"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, config);
        Assert.Equal("configmaps \"kubeadm-config\" is forbidden: User \"system:anonymous\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"",
            configBody!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, discovery);
        Assert.Equal("forbidden: User \"system:anonymous\" cannot get path \"/api\"", discoveryBody!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, version);
    }

    [Fact]
    public async Task KubeadmConfigNamesTheControlPlaneEndpointAndVersion()
    {
        var (status, body) = await fixture.Admin.GetAsync("/api/v1/namespaces/kube-system/configmaps/kubeadm-config");

        Assert.Equal(HttpStatusCode.OK, status);
        var configuration = body!["data"]!["ClusterConfiguration"]!.GetValue<string>();
        Assert.Contains($"controlPlaneEndpoint: {new Uri(fixture.Emulator.Url).Authority}\n", configuration);
        Assert.Contains("kubernetesVersion: v1.32.4\n", configuration);
        Assert.Contains("kind: ClusterConfiguration\n", configuration);
    }

    [Fact]
    public async Task SignerSignsEachSigningTokenAndDropsTheSignatureWhenTheTokenGoes()
    {
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("sign01", "0123456789abcdef"));
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("nosign", "0123456789abcdef", signing: false));
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("expird", "0123456789abcdef", expires: DateTimeOffset.UtcNow.AddMinutes(-1)));

        var signature = await Eventually.ReturnsAsync(
            () => fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "kube-public", "cluster-info")!["data"]!["jws-kubeconfig-sign01"]?.GetValue<string>(),
            "the signature of token sign01");
        var info = fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "kube-public", "cluster-info")!["data"]!.AsObject();
        // Verified the way kubeadm join does: HMAC-SHA256 with the token secret over header.payload.
        var header = signature.Split('.')[0];
        var payload = Base64Url(Encoding.UTF8.GetBytes(info["kubeconfig"]!.GetValue<string>()));
        var expected = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes("0123456789abcdef"), Encoding.UTF8.GetBytes($"{header}.{payload}")));
        Assert.Equal("{\"alg\":\"HS256\",\"kid\":\"sign01\"}", Encoding.UTF8.GetString(Convert.FromBase64String(header + "==".Substring(0, (4 - header.Length % 4) % 4))));
        Assert.Equal($"{header}..{expected}", signature);
        Assert.False(info.ContainsKey("jws-kubeconfig-nosign"));
        Assert.False(info.ContainsKey("jws-kubeconfig-expird"));

        var (deleted, _) = await fixture.Admin.DeleteAsync("/api/v1/namespaces/kube-system/secrets/bootstrap-token-sign01");
        Assert.Equal(HttpStatusCode.OK, deleted);
        await Eventually.IsTrueAsync(
            () => fixture.Emulator.Store.Get(CoreKinds.ConfigMaps, "kube-public", "cluster-info")!["data"]!["jws-kubeconfig-sign01"] is null,
            "the signature of the deleted token to go");
    }

    [Fact]
    public async Task ExpiredDeletedAndNonAuthenticatingTokensAreUnauthorized()
    {
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("valid1", "0123456789abcdef", expires: DateTimeOffset.UtcNow.AddHours(1)));
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("expir1", "0123456789abcdef", expires: DateTimeOffset.UtcNow.AddSeconds(-1)));
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("noauth", "0123456789abcdef", authentication: false));
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("gone01", "0123456789abcdef"));
        fixture.Emulator.Store.Delete(CoreKinds.Secrets, "kube-system", "bootstrap-token-gone01");

        async Task<HttpStatusCode> Read(string token)
        {
            using var client = WithToken(fixture.Emulator, token);
            return (await client.GetAsync("/apis/certificates.k8s.io/v1/certificatesigningrequests")).Status;
        }

        Assert.Equal(HttpStatusCode.OK, await Read("valid1.0123456789abcdef"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Read("valid1.0123456789abcdee"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Read("expir1.0123456789abcdef"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Read("noauth.0123456789abcdef"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Read("gone01.0123456789abcdef"));
    }

    [Fact]
    public async Task BootstrapTokenReadsWhatKubeadmJoinReadsOnly()
    {
        fixture.Emulator.Store.Create(CoreKinds.Secrets, TokenSecret("reader", "0123456789abcdef"));
        using var client = WithToken(fixture.Emulator, "reader.0123456789abcdef");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/namespaces/kube-system/configmaps/kubeadm-config")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/nodes/worker-1")).Status);
        // kubeadm:kubeadm-certs lets a joining control plane download the certificates; none were uploaded here.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/namespaces/kube-system/secrets/kubeadm-certs")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/nodes")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/namespaces/kube-system/secrets")).Status);
    }

    [Fact]
    public async Task ClusterNotMadeByKubeadmHasNeitherObject()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false, KubeadmObjects = false });
        emulator.Store.Create(CoreKinds.Secrets, TokenSecret("nocfg1", "0123456789abcdef"));
        await Task.Delay(500);

        Assert.Null(emulator.Store.Get(CoreKinds.ConfigMaps, "kube-public", "cluster-info"));
        Assert.Null(emulator.Store.Get(CoreKinds.ConfigMaps, "kube-system", "kubeadm-config"));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
