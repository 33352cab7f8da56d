using System.Net;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Kubeadm;
using ClusterManagement.Emulator.Tests.Infrastructure;

namespace ClusterManagement.Emulator.Tests;

/// <summary>
/// The API server's version: it starts where the options say and moves only when a cluster administrator
/// reports the kube-apiserver image a control-plane host's kubeadm wrote (the restart a real kubelet does).
/// </summary>
public sealed class ApiServerVersionTests
{
    private static JsonObject Image(string image) => new() { ["image"] = image };

    private static async Task<string> GitVersionAsync(ApiClient client) =>
        (await client.GetAsync("/version")).Body!["gitVersion"]!.GetValue<string>();

    [Fact]
    public async Task StartsAtTheOptionsVersionAndMovesWithAnAdministratorsRestart()
    {
        await using var emulator = await KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, SeedPods = false, KubernetesVersion = "v1.31.4" });
        using var admin = new ApiClient(emulator.CreateClient());
        using var readOnly = new ApiClient(emulator.CreateClient("sandbox-readonly"));

        var (_, version) = await admin.GetAsync("/version");
        Assert.Equal(("v1.31.4", "1", "31"), (version!["gitVersion"]!.GetValue<string>(), version["major"]!.GetValue<string>(), version["minor"]!.GetValue<string>()));
        var (_, kubeadmConfig) = await admin.GetAsync("/api/v1/namespaces/kube-system/configmaps/kubeadm-config");
        Assert.Contains("kubernetesVersion: v1.31.4\n", kubeadmConfig!["data"]!["ClusterConfiguration"]!.GetValue<string>());
        var (_, node) = await admin.GetAsync("/api/v1/nodes/cp-1");
        Assert.Equal("v1.31.4", node!["status"]!["nodeInfo"]!["kubeletVersion"]!.GetValue<string>());
        var (kubeletConfigStatus, kubeletConfig) = await admin.GetAsync("/api/v1/namespaces/kube-system/configmaps/kubelet-config");
        Assert.Equal(HttpStatusCode.OK, kubeletConfigStatus);
        Assert.Contains("kind: KubeletConfiguration\n", kubeletConfig!["data"]!["kubelet"]!.GetValue<string>());

        // Only a cluster administrator restarts the server; the refusals change nothing.
        var (forbidden, _) = await readOnly.PutAsync(ApiServerRestartApi.Path, Image("registry.k8s.io/kube-apiserver:v1.32.4"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        var (notAnApiServer, notAnApiServerBody) = await admin.PutAsync(ApiServerRestartApi.Path, Image("registry.k8s.io/kube-scheduler:v1.32.4"));
        Assert.Equal(HttpStatusCode.BadRequest, notAnApiServer);
        Assert.Contains("is not a kube-apiserver image of a released version", notAnApiServerBody!["message"]!.GetValue<string>());
        var (notReleased, _) = await admin.PutAsync(ApiServerRestartApi.Path, Image("registry.k8s.io/kube-apiserver:latest"));
        Assert.Equal(HttpStatusCode.BadRequest, notReleased);
        var (wrongMethod, _) = await admin.PostAsync(ApiServerRestartApi.Path, Image("registry.k8s.io/kube-apiserver:v1.32.4"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod);
        Assert.Equal("v1.31.4", await GitVersionAsync(admin));

        var (restarted, body) = await admin.PutAsync(ApiServerRestartApi.Path, Image("registry.k8s.io/kube-apiserver:v1.32.4"));
        Assert.Equal(HttpStatusCode.OK, restarted);
        Assert.Equal("v1.32.4", body!["gitVersion"]!.GetValue<string>());
        var (_, moved) = await readOnly.GetAsync("/version");
        Assert.Equal(("v1.32.4", "32"), (moved!["gitVersion"]!.GetValue<string>(), moved["minor"]!.GetValue<string>()));
        var (_, openApi) = await admin.GetAsync("/openapi/v2");
        Assert.Equal("v1.32.4", openApi!["info"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task AVersionThatIsNotAReleaseIsRefusedAtStart()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => KubeEmulator.StartAsync(new EmulatorOptions { Workers = 0, KubernetesVersion = "1.32" }));
        Assert.Contains("\"1.32\" is not a released version", error.Message);
    }
}
