using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ClusterManagement.Emulator.Api;
using ClusterManagement.Emulator.Auth;
using ClusterManagement.Emulator.Controllers;
using ClusterManagement.Emulator.Kinds;
using ClusterManagement.Emulator.Store;

namespace ClusterManagement.Emulator.Kubeadm;

/// <summary>
/// kube-controller-manager's bootstrapsigner: keeps one detached JWS (HS256, keyed with the token
/// secret, k8s.io/cluster-bootstrap/token/jws) per signing bootstrap token in kube-public/cluster-info,
/// and removes the signatures of tokens that are deleted, expired or no longer for signing. A
/// cluster without cluster-info gets nothing signed, as on a real one.
/// </summary>
public sealed class BootstrapSignerController : IEmulatorController
{
    public const string SignaturePrefix = "jws-kubeconfig-";

    public string Name => "bootstrapsigner";

    public async Task RunAsync(EmulatorContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            Sync(context);
            await Task.Delay(TimeSpan.FromMilliseconds(200), context.Time, cancellationToken);
        }
    }

    private static void Sync(EmulatorContext context)
    {
        var now = context.Time.GetUtcNow();
        var signers = context.Store.List(CoreKinds.Secrets, "kube-system").Items
            .Select(s => BootstrapTokenSecret.Read(s.ToJson(), now))
            .OfType<BootstrapTokenSecret>()
            .Where(t => t.Signing)
            .ToList();
        try
        {
            context.Store.Mutate(CoreKinds.ConfigMaps, "kube-public", KubeadmModule.ClusterInfo, info =>
            {
                if (info["data"] is not JsonObject data || data["kubeconfig"]?.GetValue<string>() is not { } kubeconfig)
                {
                    return false;
                }

                var wanted = signers.ToDictionary(t => SignaturePrefix + t.Id, t => Sign(kubeconfig, t.Id, t.Secret));
                var present = data.Where(e => e.Key.StartsWith(SignaturePrefix, StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value?.GetValue<string>());
                if (present.Count == wanted.Count && wanted.All(w => present.GetValueOrDefault(w.Key) == w.Value))
                {
                    return false;
                }

                foreach (var stale in present.Keys.Where(k => !wanted.ContainsKey(k)))
                {
                    data.Remove(stale);
                }

                foreach (var (key, signature) in wanted)
                {
                    data[key] = signature;
                }

                return true;
            });
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // No cluster-info: this cluster was not made by kubeadm init (or an admin deleted it).
        }
    }

    /// <summary>
    /// The compact JWS without its payload ("header..signature"), header {"alg":"HS256","kid":ID} as
    /// go-jose writes it; kubeadm join recomputes it over the kubeconfig bytes it downloaded.
    /// </summary>
    public static string Sign(string content, string tokenId, string tokenSecret)
    {
        var header = Base64Url(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"kid\":\"{tokenId}\"}}"));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(tokenSecret), Encoding.UTF8.GetBytes($"{header}.{Base64Url(Encoding.UTF8.GetBytes(content))}"));
        return $"{header}..{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
