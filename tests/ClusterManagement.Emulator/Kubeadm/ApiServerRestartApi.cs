using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Discovery;
using Microsoft.AspNetCore.Http;

namespace ClusterManagement.Emulator.Kubeadm;

/// <summary>
/// <c>PUT /emulator.clustermanagement.io/kube-apiserver {"image": "registry.k8s.io/kube-apiserver:v1.33.4"}</c>:
/// what the kubelet of a control-plane host does once kubeadm has rewritten the kube-apiserver static Pod
/// manifest, restarting the server from the new image, whose tag is the version the server then reports.
/// The emulator runs no static Pods, so the fleet's kubeadm reports the manifest's image here right after
/// writing it, with the cluster-admin credentials of admin.conf it upgrades with. Nothing else moves the
/// version: a test cannot make the server newer than an upgrade made it.
/// </summary>
public sealed class ApiServerRestartApi(EmulatorSettings settings)
{
    public const string Path = "/emulator.clustermanagement.io/kube-apiserver";

    public async Task<bool> TryHandleAsync(HttpContext context, EmulatorUser user, byte[] body)
    {
        if (context.Request.Path.Value != Path)
        {
            return false;
        }
        if (context.Request.Method != "PUT")
        {
            throw Status.MethodNotAllowed();
        }
        if (user.Access != AccessLevel.Admin)
        {
            throw new ApiException(403, "Forbidden", $"User \"{user.Name}\" cannot restart the kube-apiserver: only a cluster administrator (admin.conf) can");
        }
        var image = ReadImage(body);
        var separator = image.LastIndexOf(':');
        var (repository, tag) = separator < 0 ? (image, "") : (image[..separator], image[(separator + 1)..]);
        if (!repository.EndsWith("/kube-apiserver", StringComparison.Ordinal) || !ServerVersion.IsValid(tag))
        {
            throw Status.BadRequest($"image \"{image}\" is not a kube-apiserver image of a released version (REGISTRY/kube-apiserver:v1.X.Y)");
        }
        settings.ApiServerVersion = tag;
        await JsonResponse.WriteAsync(context, 200, new JsonObject { ["gitVersion"] = tag });
        return true;
    }

    private static string ReadImage(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["image"]?.GetValue<string>() is { Length: > 0 } image
                ? image
                : throw Status.BadRequest("image: Required value: the image of the kube-apiserver static Pod manifest");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Status.BadRequest($"the body must be {{\"image\": \"...\"}}: {e.Message}");
        }
    }
}
